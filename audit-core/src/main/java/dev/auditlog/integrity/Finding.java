package dev.auditlog.integrity;

import java.util.Objects;

/**
 * One problem a verifier found. The table of every kind, error or warning and why, is docs/FORMAT.md section 9.
 *
 * @param kind     what is wrong
 * @param sequence the sequence number the record concerned claims (its {@code seq} member as stored), or for a
 *                 finding about storage or the log's end the sequence number concerned; -1 when none applies or the
 *                 stored bytes name none
 * @param position where the record concerned is in storage order: the sequence number it would have in an intact
 *                 log (the log's first sequence plus the number of records stored before it); for a finding about
 *                 storage, the position of the next record; -1 when no record is concerned (anchor, staleness)
 * @param location where in the storage, for example {@code 00000000000000000000.jsonl:1234} (file and byte
 *                 offset); empty when unknown
 * @param message  a human-readable explanation
 */
public record Finding(Kind kind, long sequence, long position, String location, String message) {

    /** Validates the components. */
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** A finding whose position is not known ({@code -1}). */
    public Finding(Kind kind, long sequence, String location, String message) {
        this(kind, sequence, -1, location, message);
    }

    /** True for findings that do not make a log invalid but need attention (stale, recovered, ...). */
    public boolean isWarning() {
        return kind.warning;
    }

    /** What is wrong. */
    public enum Kind {
        /** A record's bytes do not follow the record layout. */
        MALFORMED(false),
        /** A record carries another log's id. */
        WRONG_LOG(false),
        /** Sequence numbers jump forward: records are missing. */
        SEQUENCE_GAP(false),
        /** A sequence number repeats or goes backwards: records are duplicated or reordered. */
        SEQUENCE_REPEAT(false),
        /** A stored chain hash does not match the one recomputed from the bytes. */
        CHAIN_MISMATCH(false),
        /** A checkpoint record is malformed or its signature does not verify under the pinned key. */
        CHECKPOINT_INVALID(false),
        /** A signed checkpoint's size, root or chain head differs from what the records before it give. */
        CHECKPOINT_MISMATCH(false),
        /** The anchored checkpoint does not verify under the pinned key. */
        ANCHOR_INVALID(false),
        /** The log's Merkle root at the anchored size differs from the anchored one: rewritten or replaced. */
        ANCHOR_MISMATCH(false),
        /** The log is shorter than the anchored checkpoint: its tail was cut off. */
        TRUNCATED(false),
        /**
         * The log does not start at record 0 and no valid signed retention statement allows it: missing, a plain
         * checkpoint in its place, not signed by the log's key, not recorded in the chain, or not held by the anchor.
         * Also a retention record in the chain that does not verify or names the wrong checkpoint.
         */
        RETENTION_INVALID(false),
        /** A key rotation record does not verify: not signed by the log's key at that point and the new key. */
        KEY_ROTATION_INVALID(false),
        /** A segment or storage unit is missing, or its link to the previous one is wrong. */
        SEGMENT_MISMATCH(false),
        /**
         * A chain of the log that the store's chain registry lists is gone as a whole (or, with a registered
         * checkpoint, shorter than it): found by {@link WholeLogVerifier}.
         */
        CHAIN_MISSING(false),
        /** Warning: the log holds records but no signed checkpoint. */
        NO_CHECKPOINT(true),
        /** Warning: the last checkpoint is older than the staleness limit. */
        STALE(true),
        /** Warning: the storage recovered from a failure: a torn write (recorded in the chain), an abandoned segment. */
        RECOVERED(true),
        /**
         * Warning: records after the last signed checkpoint: no signature covers them, so a cut-off or forged tail
         * could hide there (only an anchor of a later checkpoint would tell).
         */
        UNSIGNED_TAIL(true),
        /**
         * Warning: the log could not be checked against the anchor: the anchored checkpoint is older than the log's
         * first retained record (pruned past it), or the anchor holds no checkpoint for the log.
         */
        NOT_ANCHORED(true);

        private final boolean warning;

        Kind(boolean warning) {
            this.warning = warning;
        }

        /** True when findings of this kind are warnings rather than evidence of tampering or damage. */
        public boolean isWarning() {
            return warning;
        }
    }

    @Override
    public String toString() {
        return kind + (location.isEmpty() ? "" : " at " + location) + " (position " + position + ", sequence "
                + sequence + "): " + message;
    }
}
