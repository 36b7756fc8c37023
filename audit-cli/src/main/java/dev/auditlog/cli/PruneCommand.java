package dev.auditlog.cli;

import dev.auditlog.AuditLog;
import dev.auditlog.PruneResult;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.LogPruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "prune", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog prune file:/var/audit --log payments --before 100000 \\",
                "      --private-key /etc/audit/auditlog.key --anchor /mnt/witness --dry-run",
                "  auditlog prune jdbc:postgresql://db/audit --log payments --before 100000 \\",
                "      --private-key /etc/audit/auditlog.key --anchor /mnt/witness"},
        description = "Retention: remove a log's records before a sequence number, in a way that cannot destroy"
        + " evidence. It first verifies the log under the key (refusing a key that is not the log's, a log that does"
        + " not verify, or a --before past the last signed checkpoint), then seals a signed retention statement into"
        + " the log, hands it to the --anchor, and only then deletes (a file store whole old segments, a database the"
        + " rows). The log must not be open in another process. Exit 0 done (or nothing to remove), 1 the log does not"
        + " verify, 3 usage or I/O error, a wrong key, or a store without retention; nothing is deleted unless it"
        + " exits 0.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--log", description = "Log id; required when the store holds more than one log.")
    String logId;

    @Option(names = "--before", required = true, paramLabel = "SEQ", description = "The first record to keep:"
            + " records before it go (a file store removes whole segments only, so possibly fewer). At most the size"
            + " of the log's last signed checkpoint.")
    long before;

    @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "The log's signing key"
            + " file, which signs the retention statement.")
    Path privateKey;

    @Option(names = "--public-key", paramLabel = "FILE", description = "A key the log was signed with before a key"
            + " rotation (repeatable), to verify its older part.")
    List<Path> formerKeys;

    @Option(names = "--anchor", paramLabel = "DIR", description = "The anchor directory the log's checkpoints go to:"
            + " the retention statement goes there too before anything is deleted (verify --anchor requires it).")
    Path anchor;

    @Option(names = "--dry-run", description = "Check everything and print what would be removed; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (before < 1) {
            throw new IllegalArgumentException("--before must be >= 1 (the first record to keep), was " + before);
        }
        if (anchor != null && !Files.isDirectory(anchor)) {
            throw new IllegalArgumentException("--anchor " + anchor + " is not a directory of anchored checkpoints");
        }
        SigningKey key = KeyFiles.privateKey(privateKey);
        List<VerifierKey> trusted = new ArrayList<>();
        trusted.add(key.verifierKey());
        for (Path p : formerKeys == null ? List.<Path>of() : formerKeys) {
            trusted.add(KeyFiles.publicKey(p));
        }
        Stores.Store s = store.store();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String id;
        VerificationReport report;
        try (AuditReader reader = s.reader()) {
            id = existingLog(reader, s);
            LogVerifier.Builder b = LogVerifier.builder(trusted.get(0));
            trusted.subList(1, trusted.size()).forEach(b::alsoTrust);
            report = b.build().verify(reader, id);
        }
        String keyId = key.name() + "+" + key.verifierKey().keyIdHex();
        if (!report.isValid() && report.lastCheckpointSize() < 0 && report.checkpoints() == 0) {
            throw new IllegalArgumentException("key " + keyId + " (" + privateKey + ") is not the key of log " + id
                    + ": none of its checkpoints verifies under it (" + report.firstFinding().map(Finding::message)
                    .orElse("") + "); nothing was deleted");
        }
        if (!report.isValid()) {
            err.println("auditlog prune: log " + id + " does not verify under key " + keyId + ", so nothing was"
                    + " deleted: " + report.firstFinding().map(Finding::toString).orElse("?"));
            return Main.INVALID;
        }
        long covered = report.lastCheckpointSize();
        if (covered < 0) {
            throw new IllegalArgumentException("log " + id + " has no signed checkpoint, so no record is covered by"
                    + " one and nothing can be removed");
        }
        if (before > covered) {
            throw new IllegalArgumentException("--before " + before + " is past the log's last signed checkpoint,"
                    + " which covers the records before " + covered + ": only records a checkpoint covers can be"
                    + " removed; nothing was deleted");
        }
        long first = report.nextSequence() - report.records();
        AuditSink sink = s.sink();
        LogPruner pruner = sink.pruner().orElseThrow(() -> new UnsupportedOperationException("store " + s.display()
                + " (scheme " + s.provider().scheme() + ") does not support prune"));
        long cut = pruner.cutPoint(id, before);
        if (cut <= first) {
            sink.close();
            out.println("log " + id + ": nothing to remove before " + before + "; it starts at record " + first
                    + (cut < before ? " (a file store removes whole segments, and the segment holding record "
                    + before + " starts at " + cut + ")" : ""));
            return Main.VALID;
        }
        if (dryRun) {
            sink.close();
            out.println("dry run: log " + id + " would keep the records from " + cut + " and remove records " + first
                    + ".." + (cut - 1) + ", after sealing a retention statement (key " + keyId + ")"
                    + (anchor != null ? " and handing it to " + anchor : "") + "; nothing was changed");
            return Main.VALID;
        }
        AuditLog.Builder b = builderFor(id).sink(sink).checkpoints(key).shutdownHook(false);
        if (anchor != null) {
            b.anchor(CheckpointAnchor.directory(anchor));
        }
        PruneResult result;
        try (AuditLog log = b.build()) {
            result = log.prune(before, trusted.subList(1, trusted.size()));
        }
        if (!result.removedAny()) {
            out.println("log " + id + ": nothing removed; it starts at record " + result.firstKept());
            return Main.VALID;
        }
        out.println("log " + id + " now starts at record " + result.firstKept() + " (retention statement: record "
                + result.statementSequence() + (anchor != null ? ", anchored to " + anchor : ", no --anchor") + ")");
        return Main.VALID;
    }

    /** The chain to prune: --log (a chain id, or a log with one chain), which must exist, or the store's only one. */
    private String existingLog(AuditReader reader, Stores.Store s) throws IOException {
        var ids = reader.chainIds();
        if (logId != null) {
            if (ids.contains(logId)) {
                return logId;
            }
            List<String> chains = ids.stream().filter(c -> LogIds.isValid(logId) && ChainIds.belongsTo(c, logId))
                    .sorted().toList();
            if (chains.size() == 1) {
                return chains.get(0);
            }
            throw new IOException(chains.isEmpty() ? "no log \"" + logId + "\" in " + s.display() + (ids.isEmpty()
                    ? " (it holds no logs)" : " (logs: " + String.join(", ", new java.util.TreeSet<>(ids)) + ")")
                    : "log " + logId + " has several chains " + chains + ": each has its own retention; prune one"
                    + " at a time with --log <log>@<instance>");
        }
        return VerifyCommand.singleLog(reader, null, s);
    }

    /** A builder that writes on chain {@code chainId}: its log, and its instance or a single chain. */
    static AuditLog.Builder builderFor(String chainId) {
        AuditLog.Builder b = AuditLog.builder().logId(ChainIds.logOf(chainId));
        ChainIds.instanceOf(chainId).ifPresentOrElse(b::instanceId, b::singleChain);
        return b;
    }
}
