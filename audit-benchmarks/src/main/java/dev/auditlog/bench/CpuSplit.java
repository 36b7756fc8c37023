package dev.auditlog.bench;

import dev.auditlog.AuditLog;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A harness for where the CPU time of sustained {@code record()} goes: back-to-back calls from {@code threads}
 * producers into a file sink (ASYNC, NONE), as {@code RecordBench.auditlogFileSink}, reporting per record the CPU
 * time of the callers and of the dispatcher thread ({@code ThreadMXBean.getThreadCpuTime}). CPU time per record
 * depends much less on a noisy neighbour than throughput does, and it shows which side limits: at one producer the
 * busier of the two, at several the sum over two cores.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.auditlog.bench.CpuSplit [threads] [seconds] [rounds]}; the last
 * round is the result (the earlier ones warm up).
 */
public final class CpuSplit {
    private static volatile Object sink;

    private CpuSplit() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.nio.file.Path dir = Fixtures.dataDir("cpu-split");
        AuditLog log = AuditLog.builder().singleChain().logId("bench").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).durability(Durability.NONE).build()).build();
        try {
            log.record(Fixtures.freshEvent()).await();
            long dispatcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("auditlog-dispatcher")).findFirst().orElseThrow().getId();
            for (int round = 0; round < rounds; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                LongAdder calls = new LongAdder();
                LongAdder callerCpu = new LongAdder();
                List<Thread> producers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Thread t = new Thread(() -> {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long n = 0;
                        while (!stop.get()) {
                            sink = log.record(Fixtures.freshEvent());
                            n++;
                        }
                        callerCpu.add(mx.getCurrentThreadCpuTime() - c0);
                        calls.add(n);
                    });
                    producers.add(t);
                }
                long d0 = mx.getThreadCpuTime(dispatcher);
                long recorded0 = log.metrics().recorded();
                long t0 = System.nanoTime();
                producers.forEach(Thread::start);
                Thread.sleep((long) (seconds * 1000));
                long recorded1 = log.metrics().recorded();
                long t1 = System.nanoTime();
                long d1 = mx.getThreadCpuTime(dispatcher);
                stop.set(true);
                for (Thread t : producers) {
                    t.join();
                }
                log.flush();
                long n = calls.sum();
                double rate = (recorded1 - recorded0) / ((t1 - t0) / 1000.0);
                System.out.printf(Locale.ROOT, "round %d: %d threads, %.3f records/us; CPU per record: callers %.0f ns,"
                                + " dispatcher %.0f ns, sum %.0f ns%n", round, threads, rate, callerCpu.sum() / (double) n,
                        (d1 - d0) / (double) (recorded1 - recorded0),
                        callerCpu.sum() / (double) n + (d1 - d0) / (double) (recorded1 - recorded0));
            }
        } finally {
            log.close();
            Fixtures.deleteTree(dir);
        }
    }
}
