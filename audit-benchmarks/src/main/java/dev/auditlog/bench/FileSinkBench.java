package dev.auditlog.bench;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;
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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 2: sustained file sink throughput (events/s) per durability policy, on a real disk under
 * {@code audit-benchmarks/target/bench-data}, a fresh event per call. The producers record ASYNC with the default
 * queue (8192, BLOCK): once the queue is full they run at the rate the dispatcher seals, hashes and writes.
 * {@code run.sh} also runs it ({@code NONE}) with 2, 4 and 8 producer threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FileSinkBench {
    @Param({"NONE", "GROUP_COMMIT", "INTERVAL", "EVERY_RECORD"})
    public Durability durability;

    AuditLog log;
    Path dir;

    @Setup(Level.Trial)
    public void setUp() {
        dir = Fixtures.dataDir("filesink-" + durability);
        log = AuditLog.builder().singleChain().logId("bench").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).durability(durability).build())
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long recorded = log.metrics().recorded();
        log.close();
        long lines = Fixtures.countLines(dir.resolve("bench"), ".jsonl");
        Fixtures.check(lines >= recorded, "file sink (" + durability + ") wrote " + lines + " lines for " + recorded
                + " records");
        Fixtures.deleteTree(dir);
    }

    @Benchmark
    public AuditReceipt record() {
        return log.record(Fixtures.freshEvent());
    }
}
