package dev.auditlog.bench;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;
import org.apache.logging.log4j.message.StringMapMessage;

import java.util.Arrays;
import java.util.Locale;

/**
 * A harness for what a busy-wait gap before a call does to the call, on either side: after {@code gapMicros} of
 * busy-waiting (as {@code SpacedRecordBench}), each part timed on its own: building a fresh event, {@code record()}
 * of it (file sink, NONE), a second {@code record()} straight after, and, after another gap, building Log4j2's
 * {@code StringMapMessage} of the same fields. Comparing gaps (50 µs and 1 ms, say) shows whether a slower call after
 * a longer gap comes from the log or from running any code after that gap on this machine.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.auditlog.bench.GapCost <gapMicros> [calls] [rounds]}; p50s per round.
 */
public final class GapCost {
    private static volatile Object sink;

    private GapCost() {
    }

    public static void main(String[] args) throws Exception {
        long gap = Long.parseLong(args[0]) * 1000;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        java.nio.file.Path dir = Fixtures.dataDir("gap-cost");
        try (AuditLog log = AuditLog.builder().singleChain().logId("bench").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).durability(Durability.NONE).build()).build()) {
            for (int r = 0; r < rounds; r++) {
                long[] build = new long[n];
                long[] record = new long[n];
                long[] second = new long[n];
                long[] message = new long[n];
                for (int i = 0; i < n; i++) {
                    AlternatingLatency.spin(gap);
                    long t0 = System.nanoTime();
                    AuditEvent e = Fixtures.freshEvent();
                    long t1 = System.nanoTime();
                    log.record(e);
                    long t2 = System.nanoTime();
                    AuditEvent next = Fixtures.freshEvent();
                    long t3 = System.nanoTime();
                    log.record(next);
                    long t4 = System.nanoTime();
                    AlternatingLatency.spin(gap);
                    long t5 = System.nanoTime();
                    StringMapMessage m = Fixtures.freshMessage();
                    long t6 = System.nanoTime();
                    sink = m;
                    build[i] = t1 - t0;
                    record[i] = t2 - t1;
                    second[i] = t4 - t3;
                    message[i] = t6 - t5;
                }
                System.out.printf(Locale.ROOT, "gap %d µs, round %d, p50: event build %.2f µs, record() %.2f µs, a"
                                + " second record() at once %.2f µs; Log4j2 message build %.2f µs%n", gap / 1000, r,
                        p50(build), p50(record), p50(second), p50(message));
            }
        } finally {
            Fixtures.deleteTree(dir);
        }
    }

    private static double p50(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e3;
    }
}
