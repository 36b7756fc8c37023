package dev.auditlog.internal;

import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.SigningKey;

import java.time.Instant;

/** Signs the checkpoints the log writes into its own chain (their payload is {@code spi.RecordSealer}'s). */
final class CheckpointRecords {
    private CheckpointRecords() {
    }

    /** Signs the checkpoint for the tree as it stands before the checkpoint record itself. */
    static String sign(String logId, CompactMerkleTree tree, byte[] chainHead, Instant time, SigningKey key) {
        return Checkpoint.of(Checkpoint.origin(logId), tree.size(), tree.rootHash())
                .withChainHash(chainHead)
                .withTime(time)
                .sign(key);
    }
}
