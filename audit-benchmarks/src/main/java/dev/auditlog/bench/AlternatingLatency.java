package dev.auditlog.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * A harness beside {@link RecordBench} and {@link SpacedRecordBench} for a shared, loaded machine: ours and Log4j2
 * in one JVM, in alternating rounds of {@code calls} calls each, every call timed with {@code System.nanoTime}, so
 * that both see the same load within seconds of each other (JMH forks run minutes apart). The same states as
 * {@link RecordBench} (file sink, ASYNC, NONE, against Log4j2 all-async into its JSON RandomAccessFile appender), a
 * fresh event or message per call, and {@code gapMicros} of busy-waiting before each call (0: back-to-back).
 * Prints p50, mean and p99 of each side per round and the p50 ratio; the first two rounds warm up, and a last
 * {@code summary} line pools every call of the later rounds (the line {@code run.sh}'s {@code everycall} part
 * reports).
 *
 * <p>Why every call is timed: JMH's {@code SampleTime} picks the calls it times with the low bits of a linear
 * congruential generator, which repeat with a period of a power of two, so within an iteration it times every
 * 2<sup>k</sup>th call. Ours lays out a run of records on every 16th call of a thread when the dispatcher is behind
 * ({@code Intake}); SampleTime then sees that call in all of an iteration's samples or in none, and the calls around
 * it at one fixed position, which skews its percentiles either way.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.auditlog.bench.AlternatingLatency <gapMicros> [calls] [rounds]}
 */
public final class AlternatingLatency {
    private static volatile Object sink;

    private AlternatingLatency() {
    }

    public static void main(String[] args) throws Exception {
        long gapNanos = Long.parseLong(args[0]) * 1000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        RecordBench.OursFile ours = new RecordBench.OursFile();
        ours.setUp();
        RecordBench.Log4jFile log4j = new RecordBench.Log4jFile();
        log4j.setUp();
        long[] oursAll = new long[0];
        long[] log4jAll = new long[0];
        try {
            for (int round = 0; round < rounds; round++) {
                long[] o = new long[calls];
                long[] l = new long[calls];
                for (int i = 0; i < calls; i++) {
                    spin(gapNanos);
                    long t0 = System.nanoTime();
                    sink = ours.log.record(Fixtures.freshEvent());
                    o[i] = System.nanoTime() - t0;
                }
                for (int i = 0; i < calls; i++) {
                    spin(gapNanos);
                    long t0 = System.nanoTime();
                    log4j.logger.info(Fixtures.freshMessage());
                    l[i] = System.nanoTime() - t0;
                    log4j.logged.increment();
                }
                if (round >= 2) {
                    oursAll = concat(oursAll, o);
                    log4jAll = concat(log4jAll, l);
                }
                Arrays.sort(o);
                Arrays.sort(l);
                System.out.printf(Locale.ROOT, "gap %d µs round %d: ours p50 %.2f mean %.2f p99 %.2f µs | log4j2 p50 %.2f"
                                + " mean %.2f p99 %.2f µs | p50 ratio %.2f%n", gapNanos / 1000, round, at(o, 0.5),
                        mean(o), at(o, 0.99), at(l, 0.5), mean(l), at(l, 0.99), at(o, 0.5) / at(l, 0.5));
            }
            if (oursAll.length > 0) {
                Arrays.sort(oursAll);
                Arrays.sort(log4jAll);
                System.out.printf(Locale.ROOT, "summary gap %d µs, %d calls a side: ours p50 %.3f mean %.3f p99 %.3f µs |"
                                + " log4j2 p50 %.3f mean %.3f p99 %.3f µs | ratio p50 %.2f mean %.2f p99 %.2f%n",
                        gapNanos / 1000, oursAll.length, at(oursAll, 0.5), mean(oursAll), at(oursAll, 0.99),
                        at(log4jAll, 0.5), mean(log4jAll), at(log4jAll, 0.99), at(oursAll, 0.5) / at(log4jAll, 0.5),
                        mean(oursAll) / mean(log4jAll), at(oursAll, 0.99) / at(log4jAll, 0.99));
            }
        } finally {
            ours.tearDown();
            log4j.tearDown();
        }
    }

    /** Busy-waits {@code nanos}, as a request thread between calls does (also {@link GapCost}'s gap). */
    static void spin(long nanos) {
        if (nanos > 0) {
            long until = System.nanoTime() + nanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1000.0;
    }

    private static double mean(long[] x) {
        double s = 0;
        for (long v : x) {
            s += v;
        }
        return s / x.length / 1000.0;
    }
}
