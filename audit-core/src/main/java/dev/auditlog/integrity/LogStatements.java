package dev.auditlog.integrity;

import dev.auditlog.spi.SealedRecord;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The verifier's checks of the log's signed statements beyond checkpoints (docs/FORMAT.md, sections 11 and 12):
 * which key may sign at each point ({@link KeyRing}), key rotation records, retention records, and the retention
 * statement a log that does not start at 0 must start from. {@link ChainVerifier} calls it at its hook points; not
 * thread-safe.
 */
final class LogStatements {
    private static final HexFormat HEX = HexFormat.of();

    private final String logId;
    private final KeyRing keys;
    private final VerificationReport.Collector findings;
    private final String anchoredRetention;
    private final boolean anchorInUse;
    /** The retention statement the log starts from (storage's copy), when it starts after 0. */
    private RetentionStatement start;
    private String startNote;
    private boolean startRecorded;
    private long lastCheckpointSize = -1;
    private byte[] lastCheckpointRoot;

    LogStatements(String logId, List<VerifierKey> trusted, VerificationReport.Collector findings,
                  String anchoredRetention, boolean anchorInUse) {
        this.logId = logId;
        this.keys = new KeyRing(trusted);
        this.findings = findings;
        this.anchoredRetention = anchoredRetention;
        this.anchorInUse = anchorInUse || anchoredRetention != null;
    }

    KeyRing keys() {
        return keys;
    }

    /** Where verification resumes after removed records: the first record, the chain head and tree before it. */
    record Start(long first, byte[] chainHead, CompactMerkleTree tree) {
    }

    /**
     * The log starts after records removed under a retention statement that storage keeps: verified under the
     * trusted keys, its range checked against its root. Null, with a finding, when it is not valid.
     */
    Start retentionStart(String note, List<byte[]> range) {
        if (keys.isEmpty()) {
            findings.add(Finding.Kind.RETENTION_INVALID, -1, "the log starts after removed records; only a retention"
                    + " statement signed by the log's key allows that, and no public key was given to check one");
            return null;
        }
        RetentionStatement s;
        try {
            s = keys.retention(note, -1, logId);
        } catch (NoteVerificationException e) {
            findings.add(Finding.Kind.RETENTION_INVALID, -1, "the log starts after removed records, and the"
                    + " retention statement it starts from is not valid: " + e.getMessage());
            return null;
        }
        CompactMerkleTree tree;
        try {
            tree = CompactMerkleTree.restore(s.first(), range);
        } catch (IllegalArgumentException e) {
            findings.add(Finding.Kind.RETENTION_INVALID, s.first(), "bad retention range: " + e.getMessage());
            return null;
        }
        if (!Arrays.equals(tree.rootHash(), s.rootHash())) {
            findings.add(Finding.Kind.RETENTION_INVALID, s.first(), "the retention statement's range does not give"
                    + " its root");
            return null;
        }
        start = s;
        startNote = note;
        return new Start(s.first(), s.chainHash(), tree);
    }

    /** A checkpoint record verified: a retention record names the last one before it. */
    void checkpointSeen(Checkpoint cp) {
        lastCheckpointSize = cp.size();
        lastCheckpointRoot = cp.rootHash();
    }

    /**
     * A retention or key record at its place in the chain; {@code tree} covers the records before it (null when
     * unknown) and {@code previousChain} is the chain hash of the record before it.
     */
    void record(SealedRecord r, CompactMerkleTree tree, byte[] previousChain, long firstSequence) {
        long seq = r.sequence();
        String note;
        List<byte[]> range;
        try {
            note = r.statementNote().orElseThrow();
            range = r.statementRange().orElseThrow();
        } catch (IllegalArgumentException e) {
            findings.add(kindOf(r), seq, e.getMessage());
            return;
        }
        if (SealedRecord.TYPE_KEY.equals(r.type())) {
            rotation(r, note, range, tree, previousChain);
        } else {
            retention(seq, note, firstSequence);
        }
    }

    private static Finding.Kind kindOf(SealedRecord r) {
        return SealedRecord.TYPE_KEY.equals(r.type()) ? Finding.Kind.KEY_ROTATION_INVALID
                : Finding.Kind.RETENTION_INVALID;
    }

    private void rotation(SealedRecord r, String note, List<byte[]> range, CompactMerkleTree tree,
                          byte[] previousChain) {
        long seq = r.sequence();
        if (keys.isEmpty()) {
            return; // the chain alone is checked
        }
        KeyRotation rot;
        try {
            rot = keys.rotation(note, seq, logId);
        } catch (NoteVerificationException e) {
            findings.add(Finding.Kind.KEY_ROTATION_INVALID, seq, "key rotation does not verify: " + e.getMessage());
            return;
        }
        if (rot.size() != seq) {
            findings.add(Finding.Kind.KEY_ROTATION_INVALID, seq, "the key rotation says it is record " + rot.size()
                    + ", it is record " + seq);
        } else if (!Arrays.equals(rot.chainHash(), previousChain)) {
            findings.add(Finding.Kind.KEY_ROTATION_INVALID, seq, "the key rotation names chain head "
                    + HEX.formatHex(rot.chainHash()) + ", the records give " + HEX.formatHex(previousChain));
        } else if (tree != null && (!Arrays.equals(rot.rootHash(), tree.rootHash())
                || !ChainVerifier.sameHashes(range, tree.subtreeHashes()))) {
            findings.add(Finding.Kind.KEY_ROTATION_INVALID, seq, "the key rotation's root or range does not match"
                    + " the records before it");
        }
    }

    private void retention(long seq, String note, long firstSequence) {
        if (keys.isEmpty()) {
            return;
        }
        RetentionStatement s;
        try {
            s = keys.retention(note, seq, logId);
        } catch (NoteVerificationException e) {
            findings.add(Finding.Kind.RETENTION_INVALID, seq, "retention record does not verify: " + e.getMessage());
            return;
        }
        if (s.checkpointSize() >= seq) {
            findings.add(Finding.Kind.RETENTION_INVALID, seq, "the retention record relies on checkpoint "
                    + s.checkpointSize() + ", which is not before it");
        } else if (s.checkpointSize() >= firstSequence && (s.checkpointSize() != lastCheckpointSize
                || !Arrays.equals(s.checkpointRoot(), lastCheckpointRoot))) {
            findings.add(Finding.Kind.RETENTION_INVALID, seq, "the retention record relies on checkpoint "
                    + s.checkpointSize() + " root " + HEX.formatHex(s.checkpointRoot()) + ", but the last checkpoint"
                    + " before it is " + (lastCheckpointSize < 0 ? "none" : "size " + lastCheckpointSize + " root "
                    + HEX.formatHex(lastCheckpointRoot)));
        }
        if (note.equals(startNote)) {
            startRecorded = true;
        }
    }

    /** End of the log: the statement it starts from must be in the chain and, with an anchor, in the anchor. */
    void finish() {
        if (start == null) {
            return;
        }
        if (!startRecorded) {
            findings.add(Finding.Kind.RETENTION_INVALID, start.first(), "the retention statement the log starts from"
                    + " (records before " + start.first() + " removed) is not recorded in the chain: a prune records"
                    + " its statement in the log before it deletes anything");
        }
        if (!anchorInUse) {
            return;
        }
        if (anchoredRetention == null) {
            findings.add(Finding.Kind.RETENTION_INVALID, start.first(), "the log starts at record " + start.first()
                    + " after a retention statement that the anchor never received: a prune hands its statement to"
                    + " the anchor before it deletes anything");
            return;
        }
        if (anchoredRetention.equals(startNote)) {
            return;
        }
        long anchoredFirst = anchoredFirst();
        if (anchoredFirst <= start.first()) {
            findings.add(Finding.Kind.RETENTION_INVALID, start.first(), "the log starts at record " + start.first()
                    + " but the anchor's latest retention statement " + (anchoredFirst < 0 ? "does not verify"
                    : "allows removing only the records before " + anchoredFirst));
        }
    }

    /** The first record the anchored retention statement keeps, when it verifies under a key of the log; else -1. */
    private long anchoredFirst() {
        for (KeyRange r : keys.ranges()) {
            for (VerifierKey k : keys.known()) {
                if (KeyRing.id(k).equals(r.key())) {
                    try {
                        return RetentionStatement.verify(anchoredRetention, k, logId).first();
                    } catch (NoteVerificationException e) {
                        // try the next key
                    }
                }
            }
        }
        return -1;
    }
}
