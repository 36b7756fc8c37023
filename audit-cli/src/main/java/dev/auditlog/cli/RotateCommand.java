package dev.auditlog.cli;

import dev.auditlog.AuditLog;
import dev.auditlog.integrity.KeyRange;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.CheckpointAnchor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rotate", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog keygen --out /etc/audit --file-name auditlog-2026",
                "  auditlog rotate file:/var/audit --log payments \\",
                "      --private-key /etc/audit/auditlog.key \\",
                "      --new-private-key /etc/audit/auditlog-2026.key --anchor /mnt/witness"},
        description = "Rotate a log's signing key: record in the log a key rotation signed by the current key and the"
        + " new one, after which the log is signed with the new key. Then configure the application with the new key"
        + " (and AuditLog.Builder.rotateKeyFrom(oldKey) if it restarts before this command ran). Verify the log with"
        + " both public keys, or the old one alone: the verifier follows the rotation. The log must not be open in"
        + " another process. Exit 0 rotated, 3 usage or I/O error, or a key that is not the log's.")
final class RotateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--log", description = "Log id; required when the store holds more than one log.")
    String logId;

    @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "The log's current signing"
            + " key file.")
    Path privateKey;

    @Option(names = "--new-private-key", required = true, paramLabel = "FILE", description = "The new signing key file"
            + " (from keygen).")
    Path newPrivateKey;

    @Option(names = "--anchor", paramLabel = "DIR", description = "The anchor directory the log's checkpoints go to.")
    Path anchor;

    @Override
    public Integer call() throws Exception {
        if (anchor != null && !Files.isDirectory(anchor)) {
            throw new IllegalArgumentException("--anchor " + anchor + " is not a directory of anchored checkpoints");
        }
        SigningKey oldKey = KeyFiles.privateKey(privateKey);
        SigningKey newKey = KeyFiles.privateKey(newPrivateKey);
        if (oldKey.verifierKey().equals(newKey.verifierKey())) {
            throw new IllegalArgumentException("--new-private-key is the same key as --private-key ("
                    + oldKey.name() + "+" + oldKey.verifierKey().keyIdHex() + "); make a new one with keygen");
        }
        Stores.Store s = store.store();
        String id;
        VerificationReport report;
        try (AuditReader reader = s.reader()) {
            id = VerifyCommand.singleLog(reader, logId, s);
            if (!reader.chainIds().contains(id)) {
                throw new IllegalArgumentException("no log \"" + id + "\" in " + s.display());
            }
            report = LogVerifier.builder(oldKey.verifierKey()).alsoTrust(newKey.verifierKey()).build()
                    .verify(reader, id);
        }
        String oldId = oldKey.name() + "+" + oldKey.verifierKey().keyIdHex();
        String newId = newKey.name() + "+" + newKey.verifierKey().keyIdHex();
        List<KeyRange> ranges = report.keyRanges();
        String current = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1).key();
        if (newId.equals(current)) {
            spec.commandLine().getOut().println("log " + id + " is already signed with " + newId + "; nothing to do");
            return Main.VALID;
        }
        if (!oldId.equals(current)) {
            throw new IllegalArgumentException("key " + oldId + " (--private-key) is not the current key of log " + id
                    + (current == null ? ": none of its checkpoints verifies under it" : ": it is signed with "
                    + current) + "; nothing was changed");
        }
        AuditLog.Builder b = PruneCommand.builderFor(id).sink(s.sink()).checkpoints(newKey).rotateKeyFrom(oldKey)
                .shutdownHook(false);
        if (anchor != null) {
            b.anchor(CheckpointAnchor.directory(anchor));
        }
        try (AuditLog log = b.build()) {
            log.flush();
        }
        spec.commandLine().getOut().println("log " + id + " is now signed with " + newKey.name() + "+"
                + newKey.verifierKey().keyIdHex() + " (rotated from " + oldKey.name() + "+"
                + oldKey.verifierKey().keyIdHex() + "); verify it with both public keys");
        return Main.VALID;
    }
}
