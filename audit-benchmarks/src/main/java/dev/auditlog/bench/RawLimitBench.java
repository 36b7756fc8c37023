package dev.auditlog.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.auditlog.AuditEvent;
import dev.auditlog.Origin;
import dev.auditlog.Target;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 3: the raw limit for the file sink, single thread, no library code on the path: pre-built events →
 * jackson-core {@link JsonGenerator} writing the same fields and envelope as a sealed record → SHA-256 leaf and chain
 * hash → {@link FileChannel#write} in 256 KiB chunks (no fsync, like {@code Durability.NONE}). Events/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RawLimitBench {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT).build();

    AuditEvent[] events;
    Path dir;
    FileChannel channel;
    ByteBuffer out;
    ByteArrayBuilder body;
    MessageDigest md;
    byte[] leaf = new byte[32];
    byte[] chain = new byte[32];
    long seq;
    long written;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        events = new AuditEvent[1024];
        for (int i = 0; i < events.length; i++) {
            events[i] = Fixtures.event();
        }
        dir = Fixtures.dataDir("raw");
        channel = FileChannel.open(dir.resolve("raw.jsonl"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        out = ByteBuffer.allocateDirect(256 * 1024);
        body = new ByteArrayBuilder(1024);
        md = MessageDigest.getInstance("SHA-256");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        drain();
        channel.close();
        long lines = Fixtures.countLines(dir, ".jsonl");
        Fixtures.check(lines == seq && written > 0, "raw limit wrote " + lines + " lines of " + seq + " records, "
                + written + " bytes");
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public long serialiseHashWrite() throws IOException, java.security.DigestException {
        AuditEvent e = events[(int) (seq & 1023)];
        body.reset();
        String now = Instant.now().toString();
        try (JsonGenerator g = JSON.createGenerator(body)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            g.writeStringField("log", "bench");
            g.writeNumberField("seq", seq);
            g.writeStringField("sealedAt", now);
            g.writeStringField("type", "event");
            g.writeFieldName("event");
            writeEvent(g, e, now);
            // the object stays open: the chain field is appended after hashing the body
        }
        byte[] b = body.toByteArray();
        md.update((byte) 0);
        md.update(b);
        md.digest(leaf, 0, 32);
        md.update((byte) 2);
        md.update(chain);
        md.update(leaf);
        md.digest(chain, 0, 32);
        if (out.remaining() < b.length + 80) {
            drain();
        }
        out.put(b);
        out.put(",\"chain\":\"".getBytes(StandardCharsets.US_ASCII));
        for (byte x : chain) {
            out.put(HEX[(x >> 4) & 0xf]);
            out.put(HEX[x & 0xf]);
        }
        out.put((byte) '"').put((byte) '}').put((byte) '\n');
        return seq++;
    }

    private void drain() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            written += channel.write(out);
        }
        out.clear();
    }

    static void writeEvent(JsonGenerator g, AuditEvent e, String now) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", e.eventId().toString());
        g.writeStringField("occurredAt", e.occurredAt().map(Instant::toString).orElse(now));
        g.writeStringField("action", e.action());
        g.writeStringField("category", e.category().name());
        g.writeStringField("severity", e.severity().name());
        g.writeObjectFieldStart("actor");
        g.writeStringField("id", e.actor().id());
        g.writeStringField("type", e.actor().type().name());
        g.writeEndObject();
        g.writeArrayFieldStart("targets");
        for (Target t : e.targets()) {
            g.writeStartObject();
            g.writeStringField("type", t.type());
            g.writeStringField("id", t.id());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("outcome");
        g.writeStringField("status", e.outcome().status().name());
        if (e.outcome().reasonCode().isPresent()) {
            g.writeStringField("reasonCode", e.outcome().reasonCode().get());
        }
        g.writeEndObject();
        if (e.origin().isPresent()) {
            Origin o = e.origin().get();
            g.writeObjectFieldStart("origin");
            if (o.ip().isPresent()) {
                g.writeStringField("ip", o.ip().get());
            }
            if (o.userAgent().isPresent()) {
                g.writeStringField("userAgent", o.userAgent().get());
            }
            if (o.channel().isPresent()) {
                g.writeStringField("channel", o.channel().get().name());
            }
            g.writeEndObject();
        }
        if (e.requestId().isPresent()) {
            g.writeStringField("requestId", e.requestId().get());
        }
        g.writeObjectFieldStart("attributes");
        for (Map.Entry<String, Object> a : e.attributes().entrySet()) {
            g.writeFieldName(a.getKey());
            if (a.getValue() instanceof Long l) {
                g.writeNumber(l);
            } else {
                g.writeString(String.valueOf(a.getValue()));
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
