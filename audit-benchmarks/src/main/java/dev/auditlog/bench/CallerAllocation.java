package dev.auditlog.bench;

import com.sun.management.ThreadMXBean;
import dev.auditlog.AuditLog;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A harness for the allocation target of issue 16 ("allocation on the caller ≤ the event + 64 B"): bytes allocated
 * on the calling thread only ({@code ThreadMXBean.getThreadAllocatedBytes}), which {@code -prof gc} cannot separate
 * from the background thread's. Deterministic, so it holds on a loaded machine too. Per call, averaged over
 * {@code calls}:
 *
 * <ul>
 *   <li>{@code event}: {@link Fixtures#freshEvent()} alone; {@code record}: {@code record(freshEvent())} into a file
 *       sink (ASYNC, NONE), with a {@code flush()} after every 8 calls so that the dispatcher keeps up, as it does
 *       for a service's spaced calls (the flushes are measured alone and subtracted);</li>
 *   <li>{@code recordBehind}: the same without the flushes, back-to-back: once a batch or more is queued, callers
 *       serialise their events themselves (the payload array is then theirs);</li>
 *   <li>{@code message} and {@code log4j2}: {@link Fixtures#freshMessage()} alone, and Log4j2's all-async
 *       {@code logger.info(freshMessage())} into its JSON file appender, the same state as {@link RecordBench}.</li>
 * </ul>
 *
 * Usage: {@code java -cp benchmarks.jar dev.auditlog.bench.CallerAllocation [calls] [rounds]}; the last round is the
 * result (the earlier ones warm up).
 */
public final class CallerAllocation {
    private static volatile Object sink;

    private CallerAllocation() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        java.nio.file.Path dir = Fixtures.dataDir("caller-allocation");
        AuditLog log = AuditLog.builder().singleChain().logId("bench").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).durability(Durability.NONE).build()).build();
        RecordBench.Log4jFile log4j = new RecordBench.Log4jFile();
        log4j.setUp();
        try {
            for (int round = 0; round < rounds; round++) {
                long a0 = mx.getThreadAllocatedBytes(me);
                for (int i = 0; i < calls; i++) {
                    sink = Fixtures.freshEvent();
                }
                long a1 = mx.getThreadAllocatedBytes(me);
                for (int i = 0; i < calls; i++) {
                    sink = log.record(Fixtures.freshEvent());
                    if ((i & 7) == 7) {
                        log.flush();
                    }
                }
                long a2 = mx.getThreadAllocatedBytes(me);
                for (int i = 0; i < calls / 8; i++) {
                    log.flush();
                }
                long a3 = mx.getThreadAllocatedBytes(me);
                for (int i = 0; i < calls; i++) {
                    sink = log.record(Fixtures.freshEvent());
                }
                log.flush();
                long a4 = mx.getThreadAllocatedBytes(me);
                for (int i = 0; i < calls; i++) {
                    sink = Fixtures.freshMessage();
                }
                long a5 = mx.getThreadAllocatedBytes(me);
                for (int i = 0; i < calls; i++) {
                    log4j.logger.info(Fixtures.freshMessage());
                    log4j.logged.increment();
                }
                long a6 = mx.getThreadAllocatedBytes(me);
                double event = per(a1 - a0, calls);
                double record = per(a2 - a1 - (a3 - a2), calls);
                double behind = per(a4 - a3, calls);
                double message = per(a5 - a4, calls);
                double log4j2 = per(a6 - a5, calls);
                System.out.printf(Locale.ROOT, "round %d: event %.1f B, record %.1f B (event + %.1f), recordBehind %.1f B"
                        + " (event + %.1f); message %.1f B, log4j2 %.1f B (message + %.1f)%n", round, event, record,
                        record - event, behind, behind - event, message, log4j2, log4j2 - message);
            }
        } finally {
            log.close();
            log4j.tearDown();
            Fixtures.deleteTree(dir);
        }
    }

    private static double per(long bytes, int calls) {
        return bytes / (double) calls;
    }
}
