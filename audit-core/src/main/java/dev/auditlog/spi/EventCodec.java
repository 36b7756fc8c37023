package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonEncoding;
import dev.auditlog.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The JSON form of an {@link AuditEvent}: the payload of an {@code event} record, specified in
 * {@code docs/FORMAT.md}. The log writes every event through here; sinks and tools that need an event's JSON
 * without a whole record (a message header, a forwarder) can use it too. Deterministic: the same event always
 * gives the same bytes.
 */
public final class EventCodec {
    private static final ThreadLocal<Writer> WRITER = ThreadLocal.withInitial(Writer::new);

    private EventCodec() {
    }

    /**
     * Writes an event, filling in the fields it lacks.
     *
     * @param event      the event
     * @param occurredAt used when the event has no {@code occurredAt}
     * @param traceId    used when the event has no trace id; empty for none
     * @param spanId     used when the event has no span id; empty for none
     * @param requestId  used when the event has no request id; empty for none
     * @return the payload: one JSON object in UTF-8, without raw line breaks
     * @throws IllegalArgumentException when a fill-in value breaks the rule of its field
     */
    public static byte[] write(AuditEvent event, Instant occurredAt, String traceId, String spanId,
                               String requestId) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(requestId, "requestId");
        Writer w = WRITER.get();
        try {
            EventJson.write(w.generator, event, occurredAt, emptyToNull(traceId), emptyToNull(spanId),
                    emptyToNull(requestId));
            w.generator.flush();
        } catch (IOException | RuntimeException e) {
            WRITER.remove(); // the generator may be mid-object: never reuse it
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException("cannot serialise audit event " + event.action(), (IOException) e);
        }
        byte[] bytes = w.buffer.toByteArray();
        w.buffer.reset();
        if (bytes.length > 1 << 16) {
            WRITER.remove(); // do not keep a huge buffer per thread
        }
        return bytes;
    }

    /** Writes an event that has all its fields (nothing is filled in). */
    public static byte[] write(AuditEvent event) {
        return EventJson.toJson(Objects.requireNonNull(event, "event"));
    }

    /**
     * Reads an event from its JSON form, validating it as {@link AuditEvent.Builder} does.
     *
     * @throws IllegalArgumentException when the bytes are not a valid event; the message names the field
     */
    public static AuditEvent read(byte[] json) {
        Objects.requireNonNull(json, "json");
        try {
            return EventJsonReader.fromJson(json);
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException("not a valid audit event: " + e.getMessage(), e);
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** One reusable buffer and generator per thread: creating a generator per event is costly. */
    private static final class Writer {
        final Bytes buffer = new Bytes();
        final JsonGenerator generator;

        Writer() {
            try {
                generator = Json.FACTORY.createGenerator(buffer, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            generator.setRootValueSeparator(null); // events follow each other in one buffer, with nothing between
        }
    }

    /**
     * The generator's output: one growable array. Jackson's {@code ByteArrayBuilder} walks a list of past blocks on
     * every {@code toByteArray}, which showed in profiles of the record path.
     */
    private static final class Bytes extends OutputStream {
        private byte[] buf = new byte[1024];
        private int len;

        @Override
        public void write(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }

        void reset() {
            len = 0;
        }
    }
}
