package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "verify", description = "Verify logs: chain, signed checkpoints (pinned key), anchor, staleness."
        + " Exit 0 valid, 1 tampered or invalid, 2 warnings only, 3 usage or I/O error.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", description = "Directory holding one or more file logs.")
    Path dir;

    @Option(names = "--jdbc", description = "JDBC URL of a database log, instead of DIR.")
    String jdbc;

    @Option(names = "--public-key", required = true, description = "The log's public key file (pinned).")
    Path publicKey;

    @Option(names = "--anchor", description = "Directory of anchored checkpoints to check the log against.")
    Path anchor;

    @Option(names = "--max-staleness", description = "Warn when the last checkpoint is older (ISO-8601, e.g. PT1H).")
    Duration maxStaleness;

    @Option(names = "--log", description = "Verify only this log id.")
    String logId;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    /** One log's outcome. */
    record Result(String logId, VerificationReport report, long segments) {
    }

    @Override
    public Integer call() throws Exception {
        if ((dir == null) == (jdbc == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either DIR or --jdbc URL");
        }
        VerifierKey key = Ed25519Keys.readVerifierKey(publicKey);
        List<Result> results = new ArrayList<>();
        try (AuditReader reader = Stores.reader(dir, jdbc)) {
            Set<String> ids = logId != null ? Set.of(logId) : reader.logIds();
            if (ids.isEmpty()) {
                throw new IOException("no logs found in " + (dir != null ? dir : jdbc));
            }
            for (String id : ids) {
                ChainVerifier.Builder b = ChainVerifier.builder(id).publicKey(key);
                if (anchor != null) {
                    Optional<String> latest = CheckpointAnchor.directory(anchor).latest(id);
                    if (latest.isPresent()) {
                        b.anchored(latest.get());
                    }
                }
                if (maxStaleness != null) {
                    b.maxStaleness(maxStaleness, Clock.systemUTC());
                }
                ChainVerifier v = b.build();
                Progress progress = new Progress(spec.commandLine().getErr(), id);
                long segments = dir != null ? dev.auditlog.file.FileLogVerifier.verify(dir, id, v, progress::tick)
                        : verifyStream(reader, id, v, progress);
                progress.done();
                results.add(new Result(id, v.finish(), segments));
            }
        }
        int exit = Main.VALID;
        for (Result r : results) {
            if (!r.report().isValid()) {
                exit = Main.INVALID;
            } else if (r.report().hasWarnings() && exit == Main.VALID) {
                exit = Main.WARNINGS;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, results, exit);
        } else {
            printHuman(out, results);
        }
        return exit;
    }

    static long verifyStream(AuditReader reader, String id, ChainVerifier v, Progress progress) throws IOException {
        try (Stream<SealedRecord> s = reader.read(id, 0)) {
            for (Iterator<SealedRecord> it = s.iterator(); it.hasNext(); ) {
                SealedRecord r = it.next();
                v.accept(r, "seq " + r.sequence());
                progress.tick(r.sequence());
            }
        } catch (UncheckedIOException e) {
            v.malformed(-1, "", "reading stopped: " + e.getCause().getMessage());
        }
        return -1;
    }

    private static void printHuman(PrintWriter out, List<Result> results) {
        for (Result r : results) {
            VerificationReport rep = r.report();
            for (Finding f : rep.findings()) {
                out.printf("%s %s %s seq=%d: %s%n", f.isWarning() ? "WARNING" : "ERROR", f.kind(),
                        f.location().isEmpty() ? "-" : f.location(), f.sequence(), f.message());
            }
            if (rep.omittedFindings() > 0) {
                out.printf("... and %d more findings%n", rep.omittedFindings());
            }
            out.printf("log %s: %s — %d records,%s %d checkpoints verified, last checkpoint size %s,"
                            + " anchored size %s%n", r.logId(),
                    !rep.isValid() ? "INVALID (first bad record: " + rep.firstFinding().map(
                            f -> f.sequence() + " " + f.kind()).orElse("?") + ")"
                            : rep.hasWarnings() ? "VALID with warnings" : "VALID",
                    rep.records(), r.segments() < 0 ? "" : " " + r.segments() + " segments,", rep.checkpoints(), size(rep.lastCheckpointSize()),
                    size(rep.anchoredSize()));
        }
    }

    private static String size(long s) {
        return s < 0 ? "none" : Long.toString(s);
    }

    private static void printJson(PrintWriter out, List<Result> results, int exit) throws IOException {
        JsonGenerator g = Json.pretty(out);
        g.writeStartObject();
        g.writeNumberField("exitCode", exit);
        g.writeArrayFieldStart("logs");
        for (Result r : results) {
            VerificationReport rep = r.report();
            g.writeStartObject();
            g.writeStringField("log", r.logId());
            g.writeBooleanField("valid", rep.isValid());
            g.writeBooleanField("warnings", rep.hasWarnings());
            g.writeNumberField("records", rep.records());
            g.writeNumberField("segments", r.segments());
            g.writeNumberField("checkpoints", rep.checkpoints());
            g.writeNumberField("lastCheckpointSize", rep.lastCheckpointSize());
            g.writeNumberField("anchoredSize", rep.anchoredSize());
            g.writeArrayFieldStart("findings");
            for (Finding f : rep.findings()) {
                g.writeStartObject();
                g.writeStringField("kind", f.kind().name());
                g.writeBooleanField("warning", f.isWarning());
                g.writeNumberField("sequence", f.sequence());
                g.writeStringField("location", f.location());
                g.writeStringField("message", f.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.println();
    }

    /** The log id to use when a command needs exactly one. */
    static String singleLog(AuditReader reader, String requested, Path dir) throws IOException {
        if (requested != null) {
            return requested;
        }
        Set<String> ids = reader.logIds();
        if (ids.size() != 1) {
            throw new IOException(ids.isEmpty() ? "no logs in " + dir
                    : "several logs in " + dir + " " + ids + ": choose one with --log");
        }
        return ids.iterator().next();
    }

    /** Progress on stderr, once verification has taken more than a second. */
    static final class Progress {
        private final PrintWriter err;
        private final String logId;
        private final long start = System.nanoTime();
        private long nextReport = start + 1_000_000_000L;
        private long records;
        private boolean printed;

        Progress(PrintWriter err, String logId) {
            this.err = err;
            this.logId = logId;
        }

        void tick(long sequence) {
            records++;
            if ((records & 1023) == 0 && System.nanoTime() > nextReport) {
                err.printf("verifying %s: %d records...%n", logId, records);
                err.flush();
                printed = true;
                nextReport = System.nanoTime() + 1_000_000_000L;
            }
        }

        void done() {
            if (printed) {
                err.printf("verified %s: %d records in %.1f s%n", logId, records, (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
