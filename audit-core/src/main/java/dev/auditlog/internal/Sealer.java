package dev.auditlog.internal;

import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.KeyRotation;
import dev.auditlog.integrity.RetentionStatement;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.RecordSealer;
import dev.auditlog.spi.SealedRecord;

import java.time.Clock;
import java.time.Instant;

/**
 * Seals the log's records: {@link RecordSealer} does the layout and the chain link; this adds the seal time from
 * the log's clock and the Merkle tree that signed checkpoints cover. Owned by the dispatcher thread.
 */
final class Sealer {
    private final String logId;
    private final Clock clock;
    private final RecordSealer sealer;
    /** The Merkle tree over every sealed record, kept only when the log writes checkpoints. */
    private final CompactMerkleTree tree;
    /** The last checkpoint sealed in this session, which a retention statement relies on. */
    private Checkpoint lastCheckpoint;

    Sealer(String logId, long nextSequence, byte[] previousChain, Clock clock, CompactMerkleTree tree) {
        if (tree != null && tree.size() != nextSequence) {
            throw new IllegalArgumentException("tree size " + tree.size() + " != next sequence " + nextSequence);
        }
        this.logId = logId;
        this.clock = clock;
        this.tree = tree;
        this.sealer = new RecordSealer(logId, nextSequence, previousChain);
    }

    long nextSequence() {
        return sealer.nextSequence();
    }

    /** Seals the next record as a checkpoint signed with {@code key}; returns the record and its signed note. */
    SealedRecord sealCheckpoint(long sequence, SigningKey key, Instant time, String[] noteOut) {
        if (tree == null) {
            throw new IllegalStateException("this log keeps no Merkle tree: checkpoints are not enabled");
        }
        checkOrder(sequence);
        String note = CheckpointRecords.sign(logId, tree, sealer.chainHead(), time, key);
        noteOut[0] = note;
        lastCheckpoint = Checkpoint.of(Checkpoint.origin(logId), tree.size(), tree.rootHash());
        return appended(sealer.sealCheckpoint(clock.instant(), note, tree.subtreeHashes()));
    }

    /**
     * Seals the next record as a key rotation from {@code oldKey} to {@code newKey}, signed by both, committing to
     * every record before it (docs/FORMAT.md section 12).
     */
    SealedRecord sealKeyRotation(long sequence, SigningKey oldKey, SigningKey newKey, Instant time) {
        if (tree == null) {
            throw new IllegalStateException("this log keeps no Merkle tree: checkpoints are not enabled");
        }
        checkOrder(sequence);
        String note = KeyRotation.of(logId, tree.size(), tree.rootHash(), sealer.chainHead(), oldKey.verifierKey(),
                newKey.verifierKey(), time).sign(oldKey, newKey);
        return appended(sealer.sealStatement(clock.instant(), SealedRecord.TYPE_KEY, note, tree.subtreeHashes()));
    }

    /**
     * Seals the next record as the retention statement for {@code cut}, relying on the last checkpoint sealed, which
     * must cover the records it removes (docs/FORMAT.md section 11).
     *
     * @throws IllegalStateException when no checkpoint covering them was sealed in this session
     */
    SealedRecord sealRetention(long sequence, RetentionCut cut, SigningKey key, Instant time) {
        checkOrder(sequence);
        if (lastCheckpoint == null || lastCheckpoint.size() < cut.first()) {
            throw new IllegalStateException("a retention statement relies on a checkpoint covering the records it"
                    + " removes (before " + cut.first() + "); the last checkpoint is "
                    + (lastCheckpoint == null ? "none" : "of size " + lastCheckpoint.size()));
        }
        String note = RetentionStatement.of(logId, cut.first(), cut.root(), cut.chainHead(), lastCheckpoint, time)
                .sign(key);
        return appended(sealer.sealStatement(clock.instant(), SealedRecord.TYPE_RETENTION, note, cut.range()));
    }

    /** Seals {@code payload} (a complete JSON object) as the next record of the given type. */
    SealedRecord seal(long sequence, String type, byte[] payload) {
        checkOrder(sequence);
        return appended(sealer.seal(clock.instant(), type, payload));
    }

    /** Seals the next record from the body a caller laid out for it ({@link RecordSealer#link}). */
    SealedRecord link(RecordSealer.Body body) {
        checkOrder(body.sequence());
        return appended(sealer.link(body));
    }

    private void checkOrder(long sequence) {
        if (sequence != sealer.nextSequence()) {
            throw new IllegalStateException("sealing out of order: expected " + sealer.nextSequence() + ", got "
                    + sequence);
        }
    }

    private SealedRecord appended(SealedRecord r) {
        if (tree != null) {
            tree.append(r.leafHash());
        }
        return r;
    }
}
