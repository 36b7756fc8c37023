package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.CheckpointAnchor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog verify file:/var/audit --public-key audit.pub --anchor /mnt/witness",
                "  auditlog verify jdbc:postgresql://db/audit --public-key auditlog.pub \\",
                "      --max-staleness 1h --json",
                "  auditlog verify --dir logs --public-key old.pub --public-key new.pub"},
        description = "Verify logs in any store: chain, signed checkpoints (pinned key), anchor,"
        + " staleness, and the store's own structure. Exit 0 valid, 1 tampered or invalid, 2 warnings only, 3 usage or"
        + " I/O error (also when the store cannot be read back).")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The log's public key file"
            + " (pinned). Repeat it for a log whose key was rotated: a checkpoint signed by any of them is valid.")
    List<Path> publicKeys;

    @Option(names = "--anchor", description = "Directory of anchored checkpoints to check the log against.")
    Path anchor;

    @Option(names = "--max-staleness", paramLabel = "DURATION", description = "Warn when the last checkpoint is"
            + " older than this: 30s, 15m, 1h, 2d, 500ms, or ISO-8601 (PT1H).")
    Duration maxStaleness;

    @Option(names = "--log", description = "Verify only this log id.")
    String logId;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    /** One log's outcome. */
    record Result(String logId, VerificationReport report) {
    }

    @Override
    public Integer call() throws Exception {
        Stores.Store s = store.store();
        if (anchor != null && !Files.isDirectory(anchor)) {
            // A mistyped witness must not turn a check for a cut-off tail into a silent pass.
            throw new IllegalArgumentException("--anchor " + anchor + " is not a directory of anchored checkpoints");
        }
        List<VerifierKey> keys = new ArrayList<>();
        for (Path p : publicKeys) {
            keys.add(KeyFiles.publicKey(p));
        }
        List<Result> results = new ArrayList<>();
        try (AuditReader reader = s.reader()) {
            Set<String> ids = logId != null ? Set.of(logId) : reader.logIds();
            if (ids.isEmpty()) {
                throw new IOException("no logs found in " + s.display());
            }
            for (String id : ids) {
                Progress progress = new Progress(spec.commandLine().getErr(), id);
                LogVerifier.Builder b = LogVerifier.builder(keys.get(0)).progress(progress::tick);
                keys.subList(1, keys.size()).forEach(b::alsoTrust);
                if (anchor != null) {
                    b.anchor(CheckpointAnchor.directory(anchor));
                }
                if (maxStaleness != null) {
                    b.maxStaleness(maxStaleness, Clock.systemUTC());
                }
                VerificationReport report = b.build().verify(reader, id);
                progress.done();
                results.add(new Result(id, report));
            }
        }
        int exit = Main.VALID;
        for (Result r : results) {
            if (!r.report().isValid()) {
                exit = Main.INVALID;
            } else if ((r.report().hasWarnings() || unanchored(r)) && exit == Main.VALID) {
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

    /** Whether --anchor was given and holds no checkpoint for this log, so the log was not checked against it. */
    private boolean unanchored(Result r) {
        return anchor != null && r.report().anchoredSize() < 0;
    }

    private void printHuman(PrintWriter out, List<Result> results) {
        for (Result r : results) {
            VerificationReport rep = r.report();
            if (unanchored(r)) {
                out.printf("WARNING NOT_ANCHORED - seq=-1: the anchor %s holds no checkpoint for log %s; the log was"
                        + " not checked against it%n", anchor, r.logId());
            }
            for (Finding f : rep.findings()) {
                out.printf("%s %s %s seq=%d: %s%n", f.isWarning() ? "WARNING" : "ERROR", f.kind(),
                        f.location().isEmpty() ? "-" : f.location(), f.sequence(), f.message());
            }
            if (rep.omittedFindings() > 0) {
                out.printf("... and %d more findings%n", rep.omittedFindings());
            }
            out.printf("log %s: %s — %d records, %d checkpoints verified, last checkpoint size %s,"
                            + " anchored size %s%n", r.logId(),
                    !rep.isValid() ? "INVALID (first bad record: " + rep.firstFinding().map(
                            f -> f.sequence() + " " + f.kind()).orElse("?") + ")"
                            : rep.hasWarnings() ? "VALID with warnings" : "VALID",
                    rep.records(), rep.checkpoints(), size(rep.lastCheckpointSize()), size(rep.anchoredSize()));
        }
    }

    private static String size(long s) {
        return s < 0 ? "none" : Long.toString(s);
    }

    private void printJson(PrintWriter out, List<Result> results, int exit) throws IOException {
        JsonGenerator g = JsonOutput.pretty(out);
        g.writeStartObject();
        g.writeNumberField("exitCode", exit);
        g.writeArrayFieldStart("logs");
        for (Result r : results) {
            VerificationReport rep = r.report();
            g.writeStartObject();
            g.writeStringField("log", r.logId());
            g.writeBooleanField("valid", rep.isValid());
            g.writeBooleanField("warnings", rep.hasWarnings() || unanchored(r));
            g.writeNumberField("records", rep.records());
            g.writeNumberField("checkpoints", rep.checkpoints());
            g.writeNumberField("lastCheckpointSize", rep.lastCheckpointSize());
            g.writeNumberField("anchoredSize", rep.anchoredSize());
            g.writeArrayFieldStart("findings");
            if (unanchored(r)) {
                g.writeStartObject();
                g.writeStringField("kind", "NOT_ANCHORED");
                g.writeBooleanField("warning", true);
                g.writeNumberField("sequence", -1);
                g.writeStringField("location", anchor.toString());
                g.writeStringField("message", "the anchor holds no checkpoint for this log; it was not checked"
                        + " against it");
                g.writeEndObject();
            }
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
    static String singleLog(AuditReader reader, String requested, Stores.Store store) throws IOException {
        if (requested != null) {
            return requested;
        }
        Set<String> ids = reader.logIds();
        if (ids.size() != 1) {
            throw new IOException(ids.isEmpty() ? "no logs in " + store.display()
                    : "several logs in " + store.display() + " " + ids + ": choose one with --log");
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
