package dev.auditlog.cli;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.AuditReceipt;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.CheckpointAnchor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

@Command(name = "generate", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog generate --dir logs --private-key keys/auditlog.key --count 10000",
                "  auditlog generate --jdbc jdbc:postgresql://db/audit --private-key a.key \\",
                "      --count 1000 --rate 50 --anchor /mnt/witness"},
        description = "Append synthetic events to a log (for testing a pipeline). Prints 'acked"
        + " <seq>' at least once a second: the highest sequence number whose record is durable.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(names = "--dir", description = "Directory of a file log (created if needed; an existing log is"
                + " recovered and appended to).")
        Path dir;

        @Option(names = "--jdbc", description = "JDBC URL of a database log.")
        String jdbc;

        @Option(names = "--store", description = "Any store by URI: file:DIR, jdbc:URL, or <scheme>:... for a store"
                + " module on the class path.")
        String uri;

        AuditSink sink(Long segmentSize) {
            if (segmentSize != null) {
                if (dir == null) {
                    throw new IllegalArgumentException("--segment-size applies to a file log (--dir) only");
                }
                // A typed option, not a spec string: a directory name may hold any character.
                return FileAuditSink.builder(dir).segmentSize(segmentSize).build();
            }
            return Stores.resolve(uri, dir, jdbc).sink();
        }
    }

    @Option(names = "--private-key", required = true, paramLabel = "FILE",
            description = "Signing key file (from keygen).")
    Path privateKey;

    @Option(names = "--count", required = true, description = "Number of events.")
    long count;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second; 0 = as fast as possible.")
    double rate;

    @Option(names = "--anchor", description = "Directory the checkpoints are anchored to (it keeps the newest).")
    Path anchor;

    @Option(names = "--segment-size", description = "File segment size in bytes (default 64 MiB).")
    Long segmentSize;

    @Option(names = "--log-id", defaultValue = "default", description = "Log id (default: ${DEFAULT-VALUE}).")
    String logId;

    @Option(names = "--instance", paramLabel = "ID", description = "Write as this instance, on its own chain"
            + " <log>@<ID>, as one replica of many would (default: the log's single chain, named by the log id).")
    String instance;

    @Option(names = "--checkpoint-every", defaultValue = "1000", description = "Records between checkpoints.")
    int checkpointEvery;

    @Override
    public Integer call() throws Exception {
        if (count < 0) {
            throw new IllegalArgumentException("--count must be >= 0, was " + count);
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be >= 0, was " + rate);
        }
        PrintWriter out = spec.commandLine().getOut();
        AuditLog.Builder b = AuditLog.builder().logId(logId)
                .sink(destination.sink(segmentSize))
                .checkpoints(KeyFiles.privateKey(privateKey))
                .checkpointEvery(checkpointEvery, Duration.ofSeconds(10));
        if (instance != null) {
            b.instanceId(instance);
        } else {
            b.singleChain();
        }
        if (anchor != null) {
            b.anchor(CheckpointAnchor.directory(anchor));
        }
        AtomicLong acked = new AtomicLong(-1);
        AtomicLong printed = new AtomicLong(-1);
        long start = System.nanoTime();
        long first = -1;
        long last = -1;
        long nextPrint = start + 1_000_000_000L;
        try (AuditLog log = b.build()) {
            for (long i = 0; i < count; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(Math.min(due - System.nanoTime(), 50_000_000L));
                        nextPrint = printAcked(out, acked, printed, nextPrint, false);
                    }
                }
                AuditReceipt r = log.record(Events.synthetic(i));
                long seq = r.sequence();
                if (first < 0) {
                    first = seq;
                }
                last = seq;
                r.durable().thenRun(() -> acked.accumulateAndGet(seq, Math::max));
                nextPrint = printAcked(out, acked, printed, nextPrint, false);
            }
            log.flush();
            printAcked(out, acked, printed, 0, true);
            AuditMetrics m = log.metrics();
            double secs = (System.nanoTime() - start) / 1e9;
            out.printf("generated %d events into log %s (sequences %d..%d) in %.2f s, %.0f events/s; written %d,"
                    + " failed %d, dropped %d%n", count, logId, first, last, secs, count / Math.max(secs, 1e-9),
                    m.written(), m.failed(), m.dropped());
        }
        return Main.VALID;
    }

    private static long printAcked(PrintWriter out, AtomicLong acked, AtomicLong printed, long nextPrint, boolean force) {
        long now = System.nanoTime();
        if (!force && now < nextPrint) {
            return nextPrint;
        }
        long a = acked.get();
        if (a >= 0 && (force || a != printed.get() || now >= nextPrint)) {
            out.println("acked " + a);
            out.flush();
            printed.set(a);
        }
        return now + 1_000_000_000L;
    }
}
