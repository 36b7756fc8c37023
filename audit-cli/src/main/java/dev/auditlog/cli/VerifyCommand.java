package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.NoteVerificationException;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.integrity.WholeLogVerifier;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.spi.CheckpointAnchor;
import picocli.CommandLine;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "verify", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog verify file:/var/audit --public-key audit.pub --anchor /mnt/witness",
                "  auditlog verify jdbc:postgresql://db/audit --public-key auditlog.pub \\",
                "      --max-staleness 1h --json",
                "  auditlog verify --dir logs --public-key old.pub --public-key new.pub",
                "  auditlog verify file:/var/audit --trust-file /etc/audit/trusted-keys"},
        description = "Verify logs in any store: chain, signed checkpoints (pinned key), anchor,"
        + " staleness, and the store's own structure. Exit 0 valid, 1 tampered or invalid, 2 warnings only, 3 usage or"
        + " I/O error (also when the store cannot be read back).")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--public-key", paramLabel = "FILE", description = "The log's public key file (pinned)."
            + " Repeatable: the trusted keys. The log's first signed note must be by one of them; a key rotation"
            + " recorded in the log is followed to the next key; any other key change is an error.")
    List<Path> publicKeys;

    @Option(names = "--trust-file", paramLabel = "FILE", description = "A file of trusted public keys, one per line"
            + " (as in a .pub file; # comments), in addition to --public-key.")
    Path trustFile;

    @Option(names = "--anchor", description = "Directory of anchored checkpoints to check the log against.")
    Path anchor;

    @Option(names = "--max-staleness", paramLabel = "DURATION", description = "Warn when the last checkpoint is"
            + " older than this: 30s, 15m, 1h, 2d, 500ms, or ISO-8601 (PT1H).")
    Duration maxStaleness;

    @Option(names = "--log", description = "Verify only this log: every chain its instances wrote, and that none the"
            + " store's chain registry lists is missing.")
    String logId;

    @Option(names = "--chain", paramLabel = "CHAIN", description = "Verify only this chain (<log>@<instance>).")
    String chainId;

    @Option(names = "--json", description = "Machine-readable output (every finding).")
    boolean json;

    @Option(names = "--all-findings", description = "Print every finding; by default repeated findings of one kind"
            + " are one line with their count and the first and last.")
    boolean allFindings;

    private final List<Progress> progresses = new ArrayList<>();

    /** One chain's outcome ({@code logId} is the chain id). */
    record Result(String logId, VerificationReport report) {
    }

    /** One whole log's outcome, over its chains, with the findings about the log as a whole. */
    record LogResult(String logId, List<Result> chains, List<Finding> findings) {
        boolean valid() {
            return findings.stream().allMatch(Finding::isWarning)
                    && chains.stream().allMatch(r -> r.report().isValid());
        }
    }

    @Override
    public Integer call() throws Exception {
        Stores.Store s = store.store();
        if (maxStaleness != null && (maxStaleness.isZero() || maxStaleness.isNegative())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-staleness: must be positive, was \""
                    + maxStaleness + "\" (examples: 15m, 1h, 2d)");
        }
        Set<String> anchoredLogs = anchor == null ? Set.of() : anchoredLogs(anchor);
        if ((publicKeys == null || publicKeys.isEmpty()) && trustFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: give the log's"
                    + " public key, '--public-key=FILE' (repeatable), or '--trust-file=FILE'");
        }
        List<VerifierKey> keys = KeyFiles.trusted(publicKeys, trustFile);
        if (logId != null && chainId != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--log and --chain: give one, --log for a"
                    + " whole log or --chain for one of its chains");
        }
        List<Result> results = new ArrayList<>();
        List<LogResult> logResults = new ArrayList<>();
        try (AuditReader reader = s.reader()) {
            if (chainId != null) {
                ChainIds.check(chainId);
                if (!reader.chainIds().contains(chainId)) {
                    throw new IOException("no chain " + chainId + " in " + s.display());
                }
                results.add(verifyChain(reader, chainId, keys));
            } else {
                Set<String> logIds = new TreeSet<>();
                if (logId != null) {
                    logIds.add(LogIds.check(logId));
                } else {
                    reader.chainIds().forEach(id -> logIds.add(ChainIds.logOf(id)));
                    // a log the anchor knows and the store lacks was deleted whole: exit 1
                    anchoredLogs.forEach(id -> logIds.add(ChainIds.logOf(id)));
                }
                if (logIds.isEmpty()) {
                    throw new IOException("no logs found in " + s.display());
                }
                for (String log : logIds) {
                    WholeLogVerifier.Report rep;
                    try {
                        rep = new WholeLogVerifier(id -> verifier(reader, id, keys)).verify(reader, log,
                                anchoredLogs);
                    } catch (IOException e) {
                        throw new IOException(logId != null ? "no log " + log + " in " + s.display() + " ("
                                + e.getMessage() + ")" : e.getMessage(), e);
                    }
                    for (Map.Entry<String, VerificationReport> e : rep.chains().entrySet()) {
                        results.add(new Result(e.getKey(), e.getValue()));
                    }
                    logResults.add(new LogResult(log, rep.chains().entrySet().stream()
                            .map(e -> new Result(e.getKey(), e.getValue())).toList(), rep.findings()));
                    progresses.forEach(Progress::done);
                    progresses.clear();
                }
            }
        }
        int exit = Main.VALID;
        for (LogResult l : logResults) {
            if (!l.findings().stream().allMatch(Finding::isWarning)) {
                exit = Main.INVALID;
            }
        }
        for (Result r : results) {
            if (!r.report().isValid()) {
                exit = Main.INVALID;
            } else if ((r.report().hasWarnings() || unanchored(r)) && exit == Main.VALID) {
                exit = Main.WARNINGS;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(out, results, logResults, exit);
        } else if (chainId != null) {
            printHuman(out, results);
        } else {
            for (LogResult l : logResults) {
                printHuman(out, l.chains());
                printFindings(out, l.findings(), allFindings);
                long records = l.chains().stream().mapToLong(r -> r.report().records()).sum();
                boolean warnings = l.chains().stream().anyMatch(r -> r.report().hasWarnings() || unanchored(r));
                out.printf("log %s: %s — %d chain(s) (%s), %d records%n", l.logId(),
                        !l.valid() ? "INVALID" : warnings ? "VALID with warnings" : "VALID", l.chains().size()
                                + l.findings().size(), String.join(", ", l.chains().stream()
                                .map(r -> ChainIds.instanceOf(r.logId()).orElse(r.logId())).toList()), records);
            }
        }
        return exit;
    }

    /** The verifier of one chain, with its progress report. */
    private LogVerifier verifier(AuditReader reader, String id, List<VerifierKey> keys) {
        boolean terminal = System.console() != null;
        long bytes = -1;
        if (terminal) {
            try {
                bytes = reader.storedBytes(id).orElse(-1);
            } catch (IOException e) {
                bytes = -1; // progress goes without a total
            }
        }
        Progress progress = new Progress(spec.commandLine().getErr(), id, terminal, anchoredSize(id, keys), bytes);
        progresses.add(progress);
        LogVerifier.Builder b = LogVerifier.builder(keys.get(0)).progress(progress::tick);
        keys.subList(1, keys.size()).forEach(b::alsoTrust);
        if (anchor != null) {
            b.anchor(CheckpointAnchor.directory(anchor));
        }
        if (maxStaleness != null) {
            b.maxStaleness(maxStaleness, Clock.systemUTC());
        }
        return b.build();
    }

    private Result verifyChain(AuditReader reader, String id, List<VerifierKey> keys) throws IOException {
        Result r = new Result(id, verifier(reader, id, keys).verify(reader, id));
        progresses.forEach(Progress::done);
        progresses.clear();
        return r;
    }

    /**
     * The logs {@code dir} holds anchored checkpoints of. A missing, unreadable or empty anchor directory is a usage
     * error (exit 3): a mistyped witness must not turn a check for a cut-off tail into a silent pass.
     */
    static Set<String> anchoredLogs(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--anchor " + dir + (Files.exists(dir) ? " is not a directory"
                    : " does not exist") + ": expected the directory of anchored checkpoints (<log>.checkpoint files)");
        }
        Set<String> ids = new java.util.TreeSet<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".checkpoint") && ChainIds.isValid(name.substring(0,
                        name.length() - ".checkpoint".length()))) {
                    if (!Files.isReadable(p)) {
                        throw new IllegalArgumentException("--anchor " + dir + ": " + name + " is not readable");
                    }
                    ids.add(name.substring(0, name.length() - ".checkpoint".length()));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("--anchor " + dir + " is not readable ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("--anchor " + dir + " holds no anchored checkpoint (<log>.checkpoint"
                    + " files): wrong directory?");
        }
        return ids;
    }

    /** Whether --anchor was given and holds no checkpoint for this log, so the log was not checked against it. */
    private boolean unanchored(Result r) {
        return anchor != null && r.report().anchoredSize() < 0;
    }

    private void printHuman(PrintWriter out, List<Result> results) {
        for (Result r : results) {
            VerificationReport rep = r.report();
            if (unanchored(r)) {
                out.printf("WARNING NOT_ANCHORED - pos=-1 seq=-1: the anchor %s holds no checkpoint for chain %s; the"
                        + " chain was not checked against it%n", anchor, r.logId());
            }
            printFindings(out, rep.findings(), allFindings);
            if (rep.keyRanges().size() > 1) {
                out.printf("log %s keys: %s%n", r.logId(), rep.keyRanges().stream().map(Object::toString)
                        .collect(java.util.stream.Collectors.joining("; ")));
            }
            if (rep.omittedFindings() > 0) {
                out.printf("... and %d more findings%n", rep.omittedFindings());
            }
            out.printf("chain %s: %s — %d records, %d checkpoints verified, last checkpoint size %s,"
                            + " anchored size %s%n", r.logId(),
                    !rep.isValid() ? "INVALID (first bad record: " + rep.firstFinding().map(
                            f -> "position " + f.position() + ", claimed sequence " + f.sequence() + ", "
                                    + f.kind()).orElse("?") + ")"
                            : rep.hasWarnings() ? "VALID with warnings" : "VALID",
                    rep.records(), rep.checkpoints(), size(rep.lastCheckpointSize()), size(rep.anchoredSize()));
        }
    }

    /**
     * The findings, one line each with {@code all}; otherwise those of one kind that occur more than once are one line
     * in the place of the first, with the count, the first and last sequence and location, and the first message.
     */
    static void printFindings(PrintWriter out, List<Finding> findings, boolean all) {
        Map<Finding.Kind, List<Finding>> byKind = new LinkedHashMap<>();
        for (Finding f : findings) {
            byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<Finding.Kind, List<Finding>> e : byKind.entrySet()) {
            List<Finding> fs = e.getValue();
            if (all || fs.size() == 1) {
                for (Finding f : fs) {
                    out.printf("%s %s %s pos=%d seq=%d: %s%n", f.isWarning() ? "WARNING" : "ERROR", f.kind(),
                            where(f), f.position(), f.sequence(), f.message());
                }
            } else {
                Finding first = fs.get(0);
                Finding last = fs.get(fs.size() - 1);
                out.printf("%s %s \u00d7%d (first pos=%d seq=%d %s, last pos=%d seq=%d %s): %s%n",
                        first.isWarning() ? "WARNING" : "ERROR", e.getKey(), fs.size(), first.position(),
                        first.sequence(), where(first), last.position(), last.sequence(), where(last),
                        first.message());
            }
        }
    }

    private static String where(Finding f) {
        return f.location().isEmpty() ? "-" : f.location();
    }

    /**
     * The size of the latest anchored checkpoint for the log, the total progress is shown against; -1 when there is no
     * --anchor or it holds nothing usable for the log. Reading it costs one small file, unlike counting the records,
     * which would cost as much as verifying them.
     */
    private long anchoredSize(String id, List<VerifierKey> keys) {
        if (anchor == null || System.console() == null) {
            return -1;
        }
        try {
            Optional<String> note = CheckpointAnchor.directory(anchor).latest(id);
            if (note.isEmpty()) {
                return -1;
            }
            for (VerifierKey k : keys) {
                try {
                    return Checkpoint.verify(note.get(), k).size();
                } catch (NoteVerificationException e) {
                    // another key, or not valid: the verifier reports it; progress just goes without a total
                }
            }
        } catch (IOException | RuntimeException e) {
            // as above
        }
        return -1;
    }

    private static String size(long s) {
        return s < 0 ? "none" : Long.toString(s);
    }

    private void printJson(PrintWriter out, List<Result> results, List<LogResult> logResults, int exit)
            throws IOException {
        JsonGenerator g = JsonOutput.pretty(out);
        g.writeStartObject();
        g.writeNumberField("exitCode", exit);
        g.writeArrayFieldStart("logs");
        for (Result r : results) {
            VerificationReport rep = r.report();
            g.writeStartObject();
            g.writeStringField("log", ChainIds.logOf(r.logId()));
            g.writeStringField("chain", r.logId());
            g.writeBooleanField("valid", rep.isValid());
            g.writeBooleanField("warnings", rep.hasWarnings() || unanchored(r));
            g.writeNumberField("records", rep.records());
            g.writeNumberField("checkpoints", rep.checkpoints());
            g.writeNumberField("lastCheckpointSize", rep.lastCheckpointSize());
            g.writeNumberField("anchoredSize", rep.anchoredSize());
            g.writeArrayFieldStart("keys");
            for (dev.auditlog.integrity.KeyRange k : rep.keyRanges()) {
                g.writeStartObject();
                g.writeStringField("key", k.key());
                g.writeNumberField("firstSequence", k.firstSequence());
                g.writeNumberField("lastSequence", k.lastSequence());
                g.writeStringField("rotatedTo", k.rotatedTo());
                g.writeEndObject();
            }
            g.writeEndArray();
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
                g.writeNumberField("position", f.position());
                g.writeStringField("location", f.location());
                g.writeStringField("message", f.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("logFindings");
        for (LogResult l : logResults) {
            for (Finding f : l.findings()) {
                g.writeStartObject();
                g.writeStringField("log", l.logId());
                g.writeStringField("kind", f.kind().name());
                g.writeBooleanField("warning", f.isWarning());
                g.writeNumberField("sequence", f.sequence());
                g.writeStringField("location", f.location());
                g.writeStringField("message", f.message());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.println();
    }

    /**
     * The chain to use when a command needs exactly one: {@code requested} when it is a stored chain, else the only
     * chain of the log {@code requested} names, else the only chain in the store.
     */
    static String singleLog(AuditReader reader, String requested, Stores.Store store) throws IOException {
        Set<String> ids = reader.chainIds();
        if (requested != null && ids.contains(requested)) {
            return requested;
        }
        List<String> candidates = ids.stream().filter(id -> requested == null || (LogIds.isValid(requested)
                && ChainIds.belongsTo(id, requested))).sorted().toList();
        if (candidates.size() != 1) {
            String what = requested == null ? "logs" : "chains of log " + requested;
            throw new IOException(candidates.isEmpty() ? "no " + what + " in " + store.display()
                    : "several " + what + " in " + store.display() + " " + candidates + ": choose one chain with"
                    + " --log <log>@<instance>");
        }
        return candidates.get(0);
    }

    /** The chains of a whole log, or of the only log in the store when {@code requested} is null. */
    static List<String> logChains(AuditReader reader, String requested, Stores.Store store) throws IOException {
        Set<String> ids = reader.chainIds();
        String log = requested;
        if (log == null) {
            Set<String> logs = new TreeSet<>();
            ids.forEach(id -> logs.add(ChainIds.logOf(id)));
            if (logs.size() != 1) {
                throw new IOException(logs.isEmpty() ? "no logs in " + store.display()
                        : "several logs in " + store.display() + " " + logs + ": choose one with --log");
            }
            log = logs.iterator().next();
        }
        LogIds.check(log);
        String l = log;
        List<String> chains = ids.stream().filter(id -> ChainIds.belongsTo(id, l)).sorted().toList();
        if (chains.isEmpty()) {
            throw new IOException("no log " + log + " in " + store.display());
        }
        return chains;
    }

    /**
     * Progress on stderr, on a terminal only, once verification has taken more than a second: records and bytes
     * checked, and against a total a percentage and an estimate of the time left. The total is the bytes the store
     * holds for the log when it can tell cheaply (a file log's segment sizes), else the anchored checkpoint's size in
     * records; with neither, a rate.
     */
    static final class Progress {
        private final PrintWriter err;
        private final String logId;
        private final boolean enabled;
        private final long totalRecords;
        private final long totalBytes;
        private final long start;
        private long nextReport;
        private long records;
        private long bytes;
        private boolean printed;

        Progress(PrintWriter err, String logId, boolean enabled, long totalRecords, long totalBytes) {
            this(err, logId, enabled, totalRecords, totalBytes, System.nanoTime());
        }

        Progress(PrintWriter err, String logId, boolean enabled, long totalRecords, long totalBytes, long startNanos) {
            this.err = err;
            this.logId = logId;
            this.enabled = enabled;
            this.totalRecords = totalRecords;
            this.totalBytes = totalBytes;
            this.start = startNanos;
            this.nextReport = start + 1_000_000_000L;
        }

        void tick(SealedRecord r) {
            records++;
            bytes += r.lineLength() + 1; // the line and its terminator
            if (enabled && (records & 1023) == 0) {
                long now = System.nanoTime();
                if (now > nextReport) {
                    err.println(line(now));
                    err.flush();
                    printed = true;
                    nextReport = now + 1_000_000_000L;
                }
            }
        }

        /** The progress line at time {@code now}. */
        String line(long now) {
            double seconds = Math.max((now - start) / 1e9, 1e-9);
            if (totalBytes > 0 && bytes <= totalBytes) {
                return String.format(Locale.ROOT, "verifying %s: %s of ~%s (%d%%), %d records, %s left", logId,
                        size(bytes), size(totalBytes), bytes * 100 / totalBytes, records,
                        eta(Math.round((totalBytes - bytes) / Math.max(bytes / seconds, 1e-9))));
            }
            if (totalRecords > 0 && records <= totalRecords) {
                return String.format(Locale.ROOT, "verifying %s: %d of ~%d records (%d%%), %s left", logId, records,
                        totalRecords, records * 100 / totalRecords,
                        eta(Math.round((totalRecords - records) / Math.max(records / seconds, 1e-9))));
            }
            return String.format(Locale.ROOT, "verifying %s: %d records, %s, %.0f records/s", logId, records,
                    size(bytes), records / seconds);
        }

        private static String eta(long s) {
            return s >= 3600 ? s / 3600 + " h " + (s % 3600) / 60 + " min" : s >= 60 ? s / 60 + " min " + s % 60 + " s"
                    : s + " s";
        }

        private static String size(long b) {
            return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30))
                    : b >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20))
                    : b >= 1L << 10 ? String.format(Locale.ROOT, "%.1f KiB", b / 1024.0) : b + " B";
        }

        void done() {
            if (printed) {
                err.printf(Locale.ROOT, "verified %s: %d records, %s in %.1f s%n", logId, records, size(bytes),
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
