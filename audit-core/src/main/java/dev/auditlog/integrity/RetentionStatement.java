package dev.auditlog.integrity;

import dev.auditlog.spi.LogIds;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signed retention statement: the log's key holder declares that the records before {@link #first()} may be
 * removed, gives the Merkle root and chain head they end with, and names the signed checkpoint that covers them
 * (docs/FORMAT.md, section 11). It is sealed into the log as a {@code retention} record and handed to the anchors
 * before anything is deleted, and storage keeps a copy from which a verifier starts a log that does not start at 0.
 * Only the key holder can make one: a plain checkpoint copied beside a log is not one.
 *
 * <p>Text form, a C2SP signed note whose text is a tlog checkpoint with its own origin (log ids never contain
 * {@code /}, so no checkpoint origin can be mistaken for it):
 * <pre>
 * auditlog/&lt;log id&gt;/retention
 * &lt;first&gt;
 * &lt;base64 Merkle root of records 0 … first-1&gt;
 * chain &lt;base64 chain hash of record first-1&gt;
 * checkpoint &lt;size C&gt; &lt;base64 Merkle root of records 0 … C-1&gt;
 * time &lt;RFC 3339 UTC&gt;
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RetentionStatement {
    /** The extension line naming the checkpoint the statement relies on. */
    public static final String CHECKPOINT_PREFIX = "checkpoint ";

    private final String logId;
    private final Checkpoint text;
    private final long checkpointSize;
    private final byte[] checkpointRoot;

    private RetentionStatement(String logId, Checkpoint text, long checkpointSize, byte[] checkpointRoot) {
        this.logId = logId;
        this.text = text;
        this.checkpointSize = checkpointSize;
        this.checkpointRoot = checkpointRoot;
    }

    /** The origin line of the retention statements of {@code logId}: {@code auditlog/<logId>/retention}. */
    public static String origin(String logId) {
        return Checkpoint.origin(logId) + "/retention";
    }

    /**
     * A statement that the records of {@code logId} before {@code first} may be removed.
     *
     * @param first          the first record that stays, {@code >= 1}
     * @param root           the Merkle root of records {@code 0 … first-1}
     * @param chainHead      the chain hash of record {@code first-1}
     * @param checkpoint     the signed checkpoint the statement relies on; its size must be {@code >= first}
     * @param time           when the statement is made
     * @throws IllegalArgumentException naming the field when a rule is broken
     */
    public static RetentionStatement of(String logId, long first, byte[] root, byte[] chainHead,
                                        Checkpoint checkpoint, Instant time) {
        LogIds.check(logId);
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (first < 1) {
            throw new IllegalArgumentException("first must be >= 1 (nothing to remove before record 0), was " + first);
        }
        if (checkpoint.size() < first) {
            throw new IllegalArgumentException("the checkpoint a retention statement relies on must cover the"
                    + " records it removes: its size " + checkpoint.size() + " is below first " + first);
        }
        Checkpoint text = Checkpoint.of(origin(logId), first, root, List.of(Checkpoint.chainExtension(chainHead),
                CHECKPOINT_PREFIX + checkpoint.size() + " " + Checks.base64(checkpoint.rootHash()),
                Checkpoint.timeExtension(time)));
        return new RetentionStatement(logId, text, checkpoint.size(), checkpoint.rootHash());
    }

    /** Signs the statement with the log's key: the signed note. */
    public String sign(SigningKey key) {
        return text.sign(key);
    }

    /**
     * Verifies a signed retention statement of {@code logId} under {@code key} and parses it.
     *
     * @throws NoteVerificationException when the signature does not verify under {@code key}, or the text is not a
     *     retention statement of this log ({@code INVALID_CHECKPOINT}; a checkpoint of the log says so)
     */
    public static RetentionStatement verify(String signedNote, VerifierKey key, String logId)
            throws NoteVerificationException {
        Checkpoint cp = Checkpoint.verify(signedNote, key);
        return parse(cp, logId);
    }

    /** Parses the text of a statement whose signature was checked. */
    static RetentionStatement parse(Checkpoint cp, String logId) throws NoteVerificationException {
        if (cp.origin().equals(Checkpoint.origin(logId))) {
            throw invalid("this is a checkpoint of the log, not a retention statement (origin \"" + origin(logId)
                    + "\"): anyone can copy a checkpoint beside a log, so it proves no retention");
        }
        if (!cp.origin().equals(origin(logId))) {
            throw invalid("retention statement origin must be \"" + origin(logId) + "\", got \"" + cp.origin() + "\"");
        }
        if (cp.size() < 1 || cp.chainHash().isEmpty() || cp.time().isEmpty()) {
            throw invalid("a retention statement needs a size >= 1, a chain line and a time line");
        }
        List<String> ext = cp.extensionLines();
        if (ext.size() != 3 || !ext.get(0).startsWith(Checkpoint.CHAIN_PREFIX) || !ext.get(1).startsWith(CHECKPOINT_PREFIX)
                || !ext.get(2).startsWith(Checkpoint.TIME_PREFIX)) {
            throw invalid("a retention statement's text is exactly 6 lines (origin, first, root, chain, checkpoint,"
                    + " time), this one has " + (3 + ext.size()) + (ext.size() == 3 ? " in another order" : ""));
        }
        String ref = null;
        for (String line : ext) {
            if (line.startsWith(CHECKPOINT_PREFIX)) {
                if (ref != null) {
                    throw invalid("a retention statement names one checkpoint, this one names several");
                }
                ref = line.substring(CHECKPOINT_PREFIX.length());
            }
        }
        if (ref == null) {
            throw invalid("a retention statement must name the checkpoint it relies on (a \"checkpoint <size> <root>\""
                    + " line)");
        }
        String[] parts = ref.split(" ", -1);
        long size;
        byte[] root;
        try {
            if (parts.length != 2 || !parts[0].matches("0|[1-9][0-9]{0,18}")) {
                throw new IllegalArgumentException("expected \"checkpoint <size> <base64 root>\"");
            }
            size = Long.parseLong(parts[0]);
            root = Checks.strictBase64(parts[1], "checkpoint root");
            if (root.length != 32) {
                throw new IllegalArgumentException("the checkpoint root must be 32 bytes, got " + root.length);
            }
        } catch (IllegalArgumentException e) {
            throw invalid("bad checkpoint line in retention statement: " + e.getMessage());
        }
        if (size < cp.size()) {
            throw invalid("the checkpoint a retention statement relies on must cover what it removes: size " + size
                    + " < first " + cp.size());
        }
        return new RetentionStatement(logId, cp, size, root);
    }

    private static NoteVerificationException invalid(String message) {
        return new NoteVerificationException(NoteVerificationException.Reason.INVALID_CHECKPOINT, message);
    }

    /** The log id. */
    public String logId() {
        return logId;
    }

    /** The first record that stays: records {@code 0 … first-1} may be removed. */
    public long first() {
        return text.size();
    }

    /** The Merkle root of records {@code 0 … first-1} (a copy). */
    public byte[] rootHash() {
        return text.rootHash();
    }

    /** The chain hash of record {@code first-1} (a copy). */
    public byte[] chainHash() {
        return text.chainHash().orElseThrow();
    }

    /** The size of the checkpoint the statement relies on. */
    public long checkpointSize() {
        return checkpointSize;
    }

    /** The Merkle root of that checkpoint (a copy). */
    public byte[] checkpointRoot() {
        return checkpointRoot.clone();
    }

    /** When the statement was made. */
    public Instant time() {
        return text.time().orElseThrow();
    }

    @Override
    public String toString() {
        return "RetentionStatement[" + logId + ", first=" + first() + ", checkpoint=" + checkpointSize + "]";
    }
}
