package dev.auditlog.bench;

import dev.auditlog.AuditReceipt;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Benchmark 1b: {@code record()} as a service calls it, with the background thread idle between calls. Each call is
 * timed on its own (SampleTime with a per-invocation setup, so JMH times every invocation) and builds a fresh event
 * on both sides, {@code gapMicros} apart: the setup busy-waits that long before each call, as a request thread
 * that does other work between two audit events. Ours (file sink, ASYNC, the default settings) against Log4j2
 * all-async with the JSON template layout into a RandomAccessFile appender (its default wait strategy), the same
 * states as {@link RecordBench}. Read p50, p99 and the mean.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SpacedRecordBench {
    @Param({"50", "1000"})
    public int gapMicros;

    @Setup(Level.Invocation)
    public void gap() {
        long until = System.nanoTime() + gapMicros * 1000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    public AuditReceipt auditlogFileSink(RecordBench.OursFile s) {
        return s.log.record(Fixtures.freshEvent());
    }

    @Benchmark
    public void log4j2RandomAccessFile(RecordBench.Log4jFile s) {
        s.logger.info(Fixtures.freshMessage());
        s.logged.increment();
    }
}
