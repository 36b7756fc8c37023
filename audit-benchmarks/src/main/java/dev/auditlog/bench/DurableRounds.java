package dev.auditlog.bench;

import dev.auditlog.AuditLog;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A harness for where {@link DurableLatency}'s tail comes from: the same open-loop paced records under
 * {@code GROUP_COMMIT} ({@code perSecond}, latency from the time a record was due to its completed receipt), in
 * {@code rounds} rounds, each on a new log in the same JVM (so the first round is a cold JVM and the later ones are
 * warm), with the segment size as a parameter (rotation stops the dispatcher for a few forces). Per round: p50, p99,
 * p99.9, max, and each 100 ms window whose worst record took over 10 ms (a backlog, or a stop).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.auditlog.bench.DurableRounds <perSecond> [seconds] [rounds]
 * [segmentMiB]}, for example {@code 135000 8 3 64} against {@code 135000 8 3 2048}.
 */
public final class DurableRounds {
    private DurableRounds() {
    }

    public static void main(String[] args) throws Exception {
        double perSecond = Double.parseDouble(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long segment = (args.length > 3 ? Long.parseLong(args[3]) : 64) << 20;
        for (int r = 0; r < rounds; r++) {
            Path dir = Fixtures.dataDir("durable-rounds");
            try {
                round(r, dir, perSecond, seconds, segment);
            } finally {
                Fixtures.deleteTree(dir);
            }
        }
    }

    private static void round(int round, Path dir, double perSecond, double seconds, long segment) {
        int n = (int) (perSecond * seconds);
        long[] latency = new long[n];
        double interval = 1e9 / perSecond;
        try (AuditLog log = AuditLog.builder().singleChain().logId("bench").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).durability(Durability.GROUP_COMMIT).segmentSize(segment).build())
                .build()) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * interval);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                int k = i;
                log.record(Fixtures.freshEvent()).durable().thenRun(() -> latency[k] = System.nanoTime() - due);
            }
            log.flush();
        }
        Fixtures.check(Arrays.stream(latency).allMatch(x -> x > 0), "every paced record completed (" + n + ")");
        StringBuilder slow = new StringBuilder();
        int perWindow = (int) (perSecond / 10);
        for (int w = 0; w * perWindow < n; w++) {
            long worst = 0;
            for (int i = w * perWindow; i < Math.min(n, (w + 1) * perWindow); i++) {
                worst = Math.max(worst, latency[i]);
            }
            if (worst > 10_000_000L) {
                slow.append(String.format(Locale.ROOT, " %.1fs:%.0fms", w / 10.0, worst / 1e6));
            }
        }
        long[] s = latency.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "round %d, %.0f/s for %.1f s, segments of %d MiB: p50 %.2f ms, p99 %.2f ms,"
                        + " p99.9 %.2f ms, max %.2f ms; 100 ms windows over 10 ms:%s%n", round, perSecond, seconds,
                segment >> 20, s[n / 2] / 1e6, s[(int) (n * 0.99)] / 1e6, s[(int) (n * 0.999)] / 1e6,
                s[n - 1] / 1e6, slow.length() == 0 ? " none" : slow);
    }
}
