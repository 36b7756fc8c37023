package dev.auditlog.bench;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.CheckpointAnchor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 2b, the cost of integrity: sustained file sink throughput ({@code Durability.NONE}, fresh event per
 * call) with signed checkpoints every 1000 records and a directory anchor, against the same sink without
 * checkpoints (the hash chain is always there).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class IntegrityBench {
    static final SigningKey KEY = SigningKey.of("bench.example/integrity", new byte[32]);

    @Param({"off", "on"})
    public String checkpoints;

    AuditLog log;
    Path dir;

    @Setup(Level.Trial)
    public void setUp() {
        dir = Fixtures.dataDir("integrity-" + checkpoints);
        AuditLog.Builder b = AuditLog.builder().singleChain().logId("bench").shutdownHook(false)
                .sink(FileAuditSink.builder(dir.resolve("log")).durability(Durability.NONE).build());
        if (checkpoints.equals("on")) {
            b.checkpoints(KEY).checkpointEvery(1000, Duration.ofMinutes(1))
                    .anchor(CheckpointAnchor.directory(dir.resolve("anchor")));
        }
        log = b.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        long recorded = log.metrics().recorded();
        log.close();
        long lines = Fixtures.countLines(dir.resolve("log").resolve("bench"), ".jsonl");
        Fixtures.check(lines >= recorded, "file sink (checkpoints " + checkpoints + ") wrote " + lines
                + " lines for " + recorded + " records");
        if (checkpoints.equals("on")) {
            Path anchored = dir.resolve("anchor").resolve("bench.checkpoint");
            Fixtures.check(Files.exists(anchored) && Files.readString(anchored).contains("bench.example/integrity"),
                    "the anchor holds a signed checkpoint (" + recorded + " records)");
        }
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public AuditReceipt record() {
        return log.record(Fixtures.freshEvent());
    }
}
