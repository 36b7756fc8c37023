package dev.auditlog.bench;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditReader;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Benchmark 4: verifying a prepared file log of {@value #RECORDS} records (with a signed checkpoint every 1000) —
 * {@link LogVerifier} over a {@link FileAuditReader} with the pinned key — against raw SHA-256 over the same segment
 * bytes read through a {@link FileChannel}. Scores are records/s; {@code verify.properties} next to the log gives
 * the bytes, for MB/s. The log is generated once under {@code target/bench-data/verify-log} and reused.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VerifyBench {
    static final int RECORDS = 100_000;
    static final String LOG = "verify";
    static final SigningKey KEY = SigningKey.of("bench.example/verify", new byte[32]);

    Path dir;
    List<Path> segments;
    long bytes;
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("bench.data", "audit-benchmarks/target/bench-data"));
        dir = base.resolve("verify-log").toAbsolutePath();
        Path props = dir.resolve("verify.properties");
        if (!Files.exists(props)) {
            Fixtures.deleteTree(dir);
            Files.createDirectories(dir);
            AuditEvent event = Fixtures.event();
            try (AuditLog log = AuditLog.builder().singleChain().logId(LOG).shutdownHook(false)
                    .sink(FileAuditSink.builder(dir).durability(Durability.NONE).build())
                    .checkpoints(KEY).checkpointEvery(1000, Duration.ofHours(1))
                    .build()) {
                for (int i = 0; i < RECORDS; i++) {
                    log.record(event);
                }
            }
        }
        try (Stream<Path> s = Files.list(dir.resolve(LOG))) {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        bytes = 0;
        for (Path p : segments) {
            bytes += Files.size(p);
        }
        VerificationReport r = verify();
        Fixtures.check(r.isValid() && r.records() >= RECORDS && r.checkpoints() >= RECORDS / 1000,
                "verify log: " + r.records() + " records, " + r.checkpoints() + " checkpoints, " + bytes
                        + " bytes in " + segments.size() + " segment(s), valid=" + r.isValid());
        Properties p = new Properties();
        p.setProperty("records", Long.toString(r.records()));
        p.setProperty("bytes", Long.toString(bytes));
        try (var out = Files.newOutputStream(props)) {
            p.store(out, "VerifyBench log");
        }
    }

    VerificationReport verify() {
        try (FileAuditReader reader = FileAuditReader.open(dir)) {
            return LogVerifier.builder(KEY.verifierKey()).build().verify(reader, LOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public VerificationReport fileLogVerifier() {
        return verify();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public byte[] rawSha256() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] last = null;
        for (Path p : segments) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                buffer.clear();
                while (ch.read(buffer) > 0) {
                    buffer.flip();
                    md.update(buffer);
                    buffer.clear();
                }
            }
            last = md.digest();
        }
        return Arrays.copyOf(last, 32);
    }
}
