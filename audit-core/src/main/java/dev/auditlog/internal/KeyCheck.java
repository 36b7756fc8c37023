package dev.auditlog.internal;

import dev.auditlog.AuditException;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.KeyRotation;
import dev.auditlog.integrity.NoteVerificationException;
import dev.auditlog.integrity.SignedNote;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * At start: the log's key must be the key the chain is signed with, or the chain's key must be the one a declared
 * rotation starts from ({@code rotateKeyFrom}); anything else would leave a log that verifies under neither key
 * (docs/FORMAT.md section 12). The chain's key is the signer of its last checkpoint, or the new key of its last key
 * rotation, whichever comes later.
 */
final class KeyCheck {
    private KeyCheck() {
    }

    /** What the log must do about its key at start. */
    enum Outcome { SAME_KEY, ROTATE }

    static Outcome check(EngineConfig config, List<SinkState> sinks) throws IOException {
        if (!config.checkpoints()) {
            return Outcome.SAME_KEY;
        }
        SinkState leader = null;
        for (SinkState s : sinks) {
            if (s.head != null && (leader == null || s.head.sequence() > leader.head.sequence())) {
                leader = s;
            }
        }
        if (leader == null || leader.sink.reader().isEmpty()) {
            return Outcome.SAME_KEY; // a new log (or one Resume refuses to resume anyway)
        }
        AuditReader reader = leader.sink.reader().get();
        long head = leader.head.sequence();
        long window = Math.max(0, head + 1 - 4L * config.checkpointEveryRecords() - 64);
        Optional<SealedRecord> last = lastSigned(reader, config.chainId(), window, head);
        if (last.isEmpty() && window > 0) {
            last = lastSigned(reader, config.chainId(), 0, head);
        }
        if (last.isEmpty()) {
            return Outcome.SAME_KEY; // written without checkpoints so far: no key to compare
        }
        SigningKey key = config.checkpointKey().orElseThrow();
        Optional<SigningKey> previous = config.rotateKeyFrom();
        SealedRecord r = last.get();
        String chainKey;
        if (SealedRecord.TYPE_KEY.equals(r.type())) {
            KeyRotation rot;
            try {
                rot = KeyRotation.verify(r.statementNote().orElseThrow(), config.chainId());
            } catch (NoteVerificationException | IllegalArgumentException e) {
                throw new AuditException("audit log \"" + config.chainId() + "\": its last key rotation (record "
                        + r.sequence() + ") does not verify (" + e.getMessage() + "); refusing to sign after it");
            }
            if (rot.to().equals(key.verifierKey())) {
                return Outcome.SAME_KEY;
            }
            chainKey = id(rot.to());
            if (previous.isPresent() && rot.to().equals(previous.get().verifierKey())) {
                return Outcome.ROTATE;
            }
        } else {
            String note = r.checkpointNote().orElseThrow();
            if (verifies(note, key.verifierKey(), config.chainId())) {
                return Outcome.SAME_KEY;
            }
            if (previous.isPresent() && verifies(note, previous.get().verifierKey(), config.chainId())) {
                return Outcome.ROTATE;
            }
            List<String> signers = SignedNote.signers(note);
            chainKey = signers.isEmpty() ? "an unknown key" : String.join(", ", signers);
        }
        throw new AuditException("audit log \"" + config.chainId() + "\" is signed with key " + chainKey + " (record "
                + r.sequence() + "), but this log was given key " + id(key.verifierKey())
                + (previous.isPresent() ? " rotating from " + id(previous.get().verifierKey()) : "")
                + ": signing on would leave a log that verifies under neither. Give the chain's key, or declare a"
                + " rotation from it: AuditLog.builder().checkpoints(newKey).rotateKeyFrom(chainKey), or auditlog"
                + " rotate");
    }

    private static boolean verifies(String note, VerifierKey key, String logId) {
        try {
            Checkpoint.verify(note, key, Checkpoint.origin(logId));
            return true;
        } catch (NoteVerificationException e) {
            return false;
        }
    }

    static String id(VerifierKey k) {
        return k.name() + "+" + k.keyIdHex();
    }

    /** The last checkpoint or key record from {@code from} to {@code head}. */
    private static Optional<SealedRecord> lastSigned(AuditReader reader, String logId, long from, long head)
            throws IOException {
        SealedRecord last = null;
        try (Stream<SealedRecord> records = reader.read(logId, from)) {
            Iterator<SealedRecord> it = records.iterator();
            while (it.hasNext()) {
                SealedRecord r = it.next();
                if (r.sequence() > head) {
                    break;
                }
                if (SealedRecord.TYPE_CHECKPOINT.equals(r.type()) || SealedRecord.TYPE_KEY.equals(r.type())) {
                    last = r;
                }
            }
        }
        return Optional.ofNullable(last);
    }
}
