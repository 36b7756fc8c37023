package dev.auditlog.integrity;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainHasher;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The engine that checks one log as its records stream past, in constant memory: sequence contiguity, the log id,
 * every body → leaf → chain link recomputed from the stored bytes, and — given the log's pinned public key — every
 * checkpoint record (signature, tree size, Merkle root and chain head recomputed from the records), consistency
 * with the latest checkpoint anchored off the log (the log must not be shorter than, or differ from, what was
 * anchored), and staleness of the last checkpoint.
 *
 * <p>To verify a <em>stored</em> log use {@link LogVerifier}, which drives this engine over any store's
 * {@link AuditReader} with the pinned key. Use this class directly for records held in memory:
 *
 * <pre>{@code
 * ChainVerifier v = ChainVerifier.builder("orders").publicKey(key).build();
 * records.forEach(v::accept);
 * VerificationReport report = v.finish();
 * }</pre>
 *
 * The key is only ever the one the caller pins: a key found in the log proves nothing.
 */
public final class ChainVerifier {
    private static final int MAX_FINDINGS = 1000;
    /** The type of checkpoint records (docs/FORMAT.md); SealedRecord is to get a constant for it. */
    private static final HexFormat HEX = HexFormat.of();

    private final String logId;
    /** The pinned keys, in the order given; empty: the chain alone is checked. */
    private final List<VerifierKey> keys;
    private final Checkpoint anchored;
    private final String anchoredProblem;
    private final Duration maxStaleness;
    private final Clock clock;
    private final ChainHasher hasher = new ChainHasher();
    /** The chain hash recomputed for the record being checked (compared, never kept). */
    private final byte[] recomputed = new byte[32];
    private CompactMerkleTree tree;
    private long firstSequence;
    private final VerificationReport.Collector findings = new VerificationReport.Collector(MAX_FINDINGS);
    private byte[] previousChain;
    private long expectedSequence;
    private long records;
    private long checkpoints;
    private Checkpoint lastCheckpoint;
    /** The sequence number of the record that carried {@link #lastCheckpoint}. */
    private long lastCheckpointRecord = -1;
    private boolean anchorChecked;
    /** Whether the checkpoint record that was anchored (sequence = anchored size) was seen and matched. */
    private boolean anchoredRecordSeen;
    /** Keys, key rotations and retention statements (docs/FORMAT.md sections 11, 12). */
    private final LogStatements statements;

    private ChainVerifier(Builder b) {
        this.logId = b.logId;
        this.keys = List.copyOf(b.keys);
        this.maxStaleness = b.maxStaleness;
        this.clock = b.clock;
        this.expectedSequence = b.nextSequence;
        this.previousChain = b.previousChain;
        this.tree = b.tree;
        this.firstSequence = b.nextSequence;
        Checkpoint a = null;
        String problem = null;
        if (b.anchoredNote != null) {
            try {
                a = open(b.anchoredNote);
            } catch (NoteVerificationException e) {
                problem = e.getMessage();
            }
        }
        this.anchored = a;
        this.anchoredProblem = problem;
        this.statements = new LogStatements(logId, keys, findings, b.anchoredRetention, b.anchoredNote != null);
        if (problem != null) {
            findings.add(Finding.Kind.ANCHOR_INVALID, -1, "the anchored checkpoint does not verify under the pinned"
                    + " key: " + problem);
        }
    }

    /** A verifier of the chain alone (no checkpoint checks) for a log that starts at sequence 0. */
    public static ChainVerifier fromGenesis(String logId) {
        return builder(logId).build();
    }

    /**
     * A verifier of the chain alone for a log whose records before {@code nextSequence} are trusted, with
     * {@code previousChain} the chain hash of record {@code nextSequence - 1}.
     */
    public static ChainVerifier resumingAt(String logId, long nextSequence, byte[] previousChain) {
        return builder(logId).resumingAt(nextSequence, previousChain).build();
    }

    /** A builder for a verifier of {@code logId}. */
    public static Builder builder(String logId) {
        return new Builder(ChainIds.check(logId));
    }

    /**
     * Starts verification after records that were removed on purpose (retention), from a signed checkpoint of their
     * tree: {@code signedCheckpoint} (size N, root, chain head of record N-1), verified with the pinned key, and its
     * compact range (the subtree roots at size N, largest first). Records from N on are then checked as if the
     * verifier had seen the removed ones. Called through {@link LogScan#retentionStart}.
     *
     * @return N when the checkpoint verified and matched its range; otherwise -1, a finding is made and verification
     *         goes on from the checkpoint's claims (when it verified) without the Merkle checks
     */
    private long resumeFrom(String signedCheckpoint, List<byte[]> range, String location) {
        Objects.requireNonNull(signedCheckpoint, "signedCheckpoint");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(location, "location");
        if (records > 0) {
            throw new IllegalStateException("retentionStart(...) must come before the first record");
        }
        findings.at(location);
        LogStatements.Start start = statements.retentionStart(signedCheckpoint, range);
        if (start == null) {
            tree = null;
            return -1;
        }
        expectedSequence = start.first();
        firstSequence = start.first();
        previousChain = start.chainHead();
        tree = start.tree();
        return start.first();
    }

    /**
     * Feeds everything {@code reader} stores for this verifier's log to it, through
     * {@link AuditReader#scan(String, LogScan)}: the records, and the store's own findings about its storage. Call
     * {@link #finish()} afterwards. {@link LogVerifier#verify} does both.
     *
     * @throws IOException when the log cannot be read at all
     */
    public void readFrom(AuditReader reader) throws IOException {
        readFrom(reader, record -> { });
    }

    void readFrom(AuditReader reader, Consumer<SealedRecord> progress) throws IOException {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(progress, "progress");
        reader.scan(logId, new LogScan() {
            @Override
            public long retentionStart(String signedCheckpoint, List<byte[]> range, String location) {
                return resumeFrom(signedCheckpoint, range, location);
            }

            @Override
            public void record(SealedRecord record, String location) {
                accept(record, location);
                progress.accept(record);
            }

            @Override
            public void record(SealedRecord record, String file, long offset) {
                Objects.requireNonNull(file, "file");
                findings.at(file, offset);
                check(record);
                progress.accept(record);
            }

            @Override
            public void unreadable(long claimedSequence, String location, String message) {
                malformed(claimedSequence, location, message);
            }

            @Override
            public void storageMismatch(long sequence, String location, String message) {
                findings.add(new Finding(Finding.Kind.SEGMENT_MISMATCH, sequence, nextPosition(),
                        Objects.requireNonNull(location, "location"), Objects.requireNonNull(message, "message")));
            }

            @Override
            public void recovered(long sequence, String location, String message) {
                findings.add(new Finding(Finding.Kind.RECOVERED, sequence, nextPosition(),
                        Objects.requireNonNull(location, "location"), Objects.requireNonNull(message, "message")));
            }
        });
    }

    /**
     * Verifies a signed checkpoint of this log under the pinned keys: the first key the note carries a signature of
     * decides (a bad signature by a pinned key is never made up for by another one).
     */
    private Checkpoint open(String note) throws NoteVerificationException {
        NoteVerificationException unknown = null;
        for (VerifierKey k : keys) {
            try {
                return exactlyAsWritten(Checkpoint.verify(note, k, Checkpoint.origin(logId)));
            } catch (NoteVerificationException e) {
                if (e.reason() != NoteVerificationException.Reason.UNKNOWN_KEY) {
                    throw e;
                }
                if (unknown == null) {
                    unknown = e;
                }
            }
        }
        throw unknown;
    }

    private String keyNames() {
        StringBuilder b = new StringBuilder();
        for (VerifierKey k : keys) {
            b.append(b.length() == 0 ? "" : ", ").append(k.name());
        }
        return b.toString();
    }

    /**
     * FORMAT.md section 5: the writer's checkpoint text is exactly five lines, origin, size, root, {@code chain},
     * {@code time}; a note with other extension lines, or without these, is not one the writer made.
     */
    private static Checkpoint exactlyAsWritten(Checkpoint cp) throws NoteVerificationException {
        List<String> ext = cp.extensionLines();
        if (ext.size() != 2 || !ext.get(0).startsWith(Checkpoint.CHAIN_PREFIX)
                || !ext.get(1).startsWith(Checkpoint.TIME_PREFIX)) {
            throw new NoteVerificationException(NoteVerificationException.Reason.MALFORMED, "a checkpoint's text is"
                    + " exactly 5 lines (origin, size, root, chain, time), this one has " + (3 + ext.size())
                    + (ext.size() == 2 ? " in another order" : ""));
        }
        return cp;
    }

    /** Checks the next record. Findings accumulate; verification goes on after a bad record. */
    public void accept(SealedRecord record) {
        accept(record, "");
    }

    /**
     * Checks the next record, found at {@code location} (for example file and byte offset), which findings about
     * it carry.
     */
    public void accept(SealedRecord record, String location) {
        Objects.requireNonNull(record, "record");
        findings.at(Objects.requireNonNull(location, "location"));
        check(record);
    }

    /** Checks the next record at the location the findings collector holds. */
    private void check(SealedRecord record) {
        Objects.requireNonNull(record, "record");
        findings.position = nextPosition();
        records++;
        long seq = record.sequence();
        if (!record.logId().equals(logId)) {
            findings.add(Finding.Kind.WRONG_LOG, seq, "record belongs to log \"" + record.logId()
                    + "\", expected \"" + logId + "\" (spliced from another log?)");
        }
        if (seq != expectedSequence) {
            findings.add(seq > expectedSequence ? Finding.Kind.SEQUENCE_GAP : Finding.Kind.SEQUENCE_REPEAT, seq,
                    "expected sequence " + expectedSequence + ", found " + seq
                            + (seq > expectedSequence ? " (records deleted?)" : " (records repeated or reordered?)"));
        }
        checkAnchorAt(seq);
        // A SealedRecord's leaf hash is always computed from its own bytes (when parsed or when sealed): not again.
        // Both accessors return copies, which this method then owns: the tree keeps the leaf, the chain goes on
        // from the stored hash.
        byte[] leaf = record.leafHash();
        byte[] stored = record.chainHash();
        byte[] chain = recomputed;
        hasher.next(previousChain, leaf, chain);
        boolean chainOk = Arrays.equals(chain, stored);
        if (!chainOk) {
            findings.add(Finding.Kind.CHAIN_MISMATCH, seq, "stored chain hash " + HEX.formatHex(stored)
                    + " does not match the recomputed " + HEX.formatHex(chain)
                    + " (record edited, or a predecessor changed)");
        }
        if (SealedRecord.TYPE_CHECKPOINT.equals(record.type())) {
            checkCheckpoint(record);
        } else if (SealedRecord.TYPE_RETENTION.equals(record.type()) || SealedRecord.TYPE_KEY.equals(record.type())) {
            statements.record(record, tree, previousChain, firstSequence);
        }
        if (tree != null) {
            tree.appendOwned(leaf);
        }
        // Continue from what is stored so that one edit yields one finding, not one per later record.
        previousChain = stored;
        expectedSequence = seq + 1;
    }

    private void checkCheckpoint(SealedRecord record) {
        long seq = record.sequence();
        if (keys.isEmpty()) {
            return;
        }
        String note;
        List<byte[]> range;
        try {
            note = record.checkpointNote().orElseThrow();
            range = checkpointRange(record);
        } catch (IllegalArgumentException e) {
            findings.add(Finding.Kind.CHECKPOINT_INVALID, seq, e.getMessage());
            return;
        }
        Checkpoint cp;
        try {
            cp = exactlyAsWritten(statements.keys().checkpoint(note, seq, Checkpoint.origin(logId)));
        } catch (NoteVerificationException e) {
            findings.add(Finding.Kind.CHECKPOINT_INVALID, seq, "checkpoint does not verify under the pinned key"
                    + (keys.size() == 1 ? " " : "s ") + keyNames() + ": " + e.getMessage());
            return;
        }
        checkpoints++;
        lastCheckpoint = cp;
        statements.checkpointSeen(cp);
        lastCheckpointRecord = seq;
        if (anchored != null && seq == anchored.size()) {
            if (cp.equals(anchored)) {
                anchoredRecordSeen = true;
            } else {
                findings.add(Finding.Kind.ANCHOR_MISMATCH, seq, "the checkpoint record at the anchored size is not the"
                        + " anchored checkpoint");
            }
        }
        if (tree == null) {
            return;
        }
        if (cp.size() != tree.size() || !Arrays.equals(cp.rootHash(), tree.rootHash())) {
            findings.add(Finding.Kind.CHECKPOINT_MISMATCH, seq, "signed checkpoint says size " + cp.size()
                    + " root " + HEX.formatHex(cp.rootHash()) + ", the records give size " + tree.size()
                    + " root " + HEX.formatHex(tree.rootHash()));
        } else if (cp.chainHash().isPresent() && !Arrays.equals(cp.chainHash().get(), previousChain)) {
            findings.add(Finding.Kind.CHECKPOINT_MISMATCH, seq, "signed checkpoint names chain head "
                    + HEX.formatHex(cp.chainHash().get()) + ", the records give " + HEX.formatHex(previousChain));
        } else if (!sameHashes(range, tree.subtreeHashes())) {
            findings.add(Finding.Kind.CHECKPOINT_MISMATCH, seq, "the checkpoint record's compact range does not"
                    + " match the tree of the records before it");
        }
    }

    /** The compact range a checkpoint record carries. */
    private static List<byte[]> checkpointRange(SealedRecord record) {
        return record.checkpointRange().orElseThrow();
    }

    /** Whether two lists of hashes are equal, element by element. */
    static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Before record {@code seq} is added, the tree covers {@code [0, seq)}: compare with the anchor at its size. */
    private void checkAnchorAt(long seq) {
        if (anchored == null || anchorChecked || tree == null || tree.size() != anchored.size()
                || anchored.size() < firstSequence) {
            return;
        }
        anchorChecked = true;
        if (!Arrays.equals(tree.rootHash(), anchored.rootHash())) {
            findings.add(Finding.Kind.ANCHOR_MISMATCH, Math.max(0, seq - 1), "the records' Merkle root at the"
                    + " anchored size " + anchored.size() + " is " + HEX.formatHex(tree.rootHash())
                    + ", the anchored checkpoint says " + HEX.formatHex(anchored.rootHash())
                    + " (log rewritten or replaced?)");
        }
    }

    /**
     * Records a record that could not even be parsed, at the given location.
     *
     * @param claimedSequence the sequence number the stored bytes claim, or -1 when they name none
     */
    public void malformed(long claimedSequence, String location, String message) {
        findings.add(new Finding(Finding.Kind.MALFORMED, claimedSequence, nextPosition(), location, message));
        records++;
    }

    /** The storage position of the next record: the log's first sequence plus the records read so far. */
    private long nextPosition() {
        return firstSequence + records;
    }

    /**
     * Ends verification: checks the end of the log against the anchored checkpoint and the staleness limit, and
     * returns the report. Call once, after the last record.
     */
    public VerificationReport finish() {
        findings.at("");
        findings.position = -1;
        if (anchored != null && !anchorChecked) {
            checkAnchorAt(expectedSequence);
        }
        boolean anchorPredatesStart = anchored != null && anchored.size() < firstSequence;
        // A checkpoint is anchored only once its own record (sequence = its size) is durable, so that record must be
        // there too: a log that ends before it lost its tail.
        if (anchored != null && expectedSequence <= anchored.size()) {
            findings.position = nextPosition();
            findings.add(Finding.Kind.TRUNCATED, expectedSequence, "the log ends at size " + expectedSequence
                    + " but a checkpoint of size " + anchored.size() + " was anchored, which the log holds as record "
                    + anchored.size() + ": records " + expectedSequence + ".." + anchored.size()
                    + " are missing (tail cut off?)");
            findings.position = -1;
        } else if (anchored != null && tree != null && !anchoredRecordSeen && !anchorPredatesStart) {
            findings.add(Finding.Kind.ANCHOR_MISMATCH, anchored.size(), "record " + anchored.size()
                    + " should be the anchored checkpoint, and is not");
        }
        statements.finish();
        findings.keyRanges = statements.keys().ranges();
        if (anchorPredatesStart) {
            findings.add(Finding.Kind.NOT_ANCHORED, anchored.size(), "the anchored checkpoint (size "
                    + anchored.size() + ") is older than the log's first retained record " + firstSequence
                    + ": the log was not checked against it (the anchor stopped being updated?)");
        }
        if (!keys.isEmpty() && lastCheckpoint == null && records > 0) {
            findings.add(Finding.Kind.NO_CHECKPOINT, -1, "no signed checkpoint in " + records + " records");
        } else if (!keys.isEmpty() && lastCheckpoint != null && lastCheckpointRecord < expectedSequence - 1) {
            // A cleanly closed log ends with its final checkpoint; anything after the last one is signed by nobody.
            long from = lastCheckpointRecord + 1;
            findings.position = from;
            findings.add(Finding.Kind.UNSIGNED_TAIL, from, (expectedSequence - from) + " record(s) " + from + ".."
                    + (expectedSequence - 1) + " after the last signed checkpoint (record " + lastCheckpointRecord
                    + "): no signature covers them (log still being written, cut off, or a tail appended without"
                    + " the key?)");
            findings.position = -1;
        }
        if (maxStaleness != null && lastCheckpoint != null && lastCheckpoint.time().isPresent()) {
            Instant limit = clock.instant().minus(maxStaleness);
            if (lastCheckpoint.time().get().isBefore(limit)) {
                findings.add(Finding.Kind.STALE, lastCheckpoint.size(), "the last checkpoint is from "
                        + lastCheckpoint.time().get() + ", older than the limit of " + maxStaleness);
            }
        }
        return report();
    }

    /**
     * The findings so far, with the counts and the head reached; {@link #finish()} adds the end-of-log checks
     * (anchor, truncation, missing checkpoint, staleness) and is the only verdict on a log.
     */
    private VerificationReport report() {
        return findings.report(records, expectedSequence, previousChain.clone(), checkpoints,
                lastCheckpoint == null ? -1 : lastCheckpoint.size(), anchored == null ? -1 : anchored.size());
    }

    /** Configures a {@link ChainVerifier}. */
    public static final class Builder {
        private final String logId;
        private final List<VerifierKey> keys = new ArrayList<>();
        private String anchoredNote;
        private String anchoredRetention;
        private Duration maxStaleness;
        private Clock clock = Clock.systemUTC();
        private long nextSequence;
        private byte[] previousChain;
        private CompactMerkleTree tree;

        private Builder(String logId) {
            this.logId = logId;
            this.previousChain = ChainHash.genesis(logId);
        }

        /** The log's pinned public key: checkpoint records are verified with it, and only with it. */
        public Builder publicKey(VerifierKey key) {
            this.keys.clear();
            this.keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Trusts another key too, for a log whose signing key was rotated: see
         * {@link LogVerifier.Builder#alsoTrust}. Call after {@link #publicKey}.
         */
        public Builder alsoTrust(VerifierKey key) {
            Objects.requireNonNull(key, "key");
            if (keys.isEmpty()) {
                throw new IllegalStateException("alsoTrust(...) comes after publicKey(...)");
            }
            keys.add(key);
            return this;
        }

        /** The latest checkpoint anchored off the log (a signed note); requires {@link #publicKey}. */
        public Builder anchored(String signedCheckpoint) {
            this.anchoredNote = Objects.requireNonNull(signedCheckpoint, "signedCheckpoint");
            return this;
        }

        /**
         * The latest retention statement anchored off the log (a signed note, docs/FORMAT.md section 11). A log that
         * starts after removed records must start from this statement, or from an earlier one when this one's
         * deletion has not happened yet.
         */
        public Builder anchoredRetention(String signedStatement) {
            this.anchoredRetention = Objects.requireNonNull(signedStatement, "signedStatement");
            return this;
        }

        /** Warn when the last checkpoint is older than this (measured with {@code clock}). */
        public Builder maxStaleness(Duration maxStaleness, Clock clock) {
            Objects.requireNonNull(maxStaleness, "maxStaleness");
            if (maxStaleness.isNegative() || maxStaleness.isZero()) {
                throw new IllegalArgumentException("maxStaleness must be positive, was " + maxStaleness);
            }
            this.maxStaleness = maxStaleness;
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Start after trusted records: {@code nextSequence} is the first record to check and {@code previousChain}
         * the chain hash of the one before it. Checkpoint roots cannot be checked from there (the tree of the
         * skipped records is unknown); signatures still are.
         */
        public Builder resumingAt(long nextSequence, byte[] previousChain) {
            Objects.requireNonNull(previousChain, "previousChain");
            if (previousChain.length != 32 || nextSequence < 0) {
                throw new IllegalArgumentException("previousChain must be 32 bytes and nextSequence >= 0, were "
                        + previousChain.length + " bytes and " + nextSequence);
            }
            this.nextSequence = nextSequence;
            this.previousChain = previousChain.clone();
            return this;
        }

        /** Builds the verifier. */
        public ChainVerifier build() {
            if (anchoredNote != null && keys.isEmpty()) {
                throw new IllegalStateException("anchored(...) needs publicKey(...): an anchor is only trusted when it"
                        + " verifies under the pinned key");
            }
            tree = nextSequence == 0 ? CompactMerkleTree.empty() : null;
            return new ChainVerifier(this);
        }
    }
}
