package dev.auditlog.internal;

import dev.auditlog.integrity.CompactMerkleTree;
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
        return appended(sealer.sealCheckpoint(clock.instant(), note, tree.subtreeHashes()));
    }

    /** Seals {@code payload} (a complete JSON object) as the next record of the given type. */
    SealedRecord seal(long sequence, String type, byte[] payload) {
        checkOrder(sequence);
        return appended(sealer.seal(clock.instant(), type, payload));
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
