package dev.auditlog.integrity;

import java.util.Objects;

/**
 * One problem a verifier found.
 *
 * @param kind     what is wrong
 * @param sequence the sequence number of the (first) record concerned, or -1 when none applies
 * @param message  a human-readable explanation naming the location where known
 */
public record Finding(Kind kind, long sequence, String message) {

    /** Validates the components. */
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** What is wrong. */
    public enum Kind {
        /** A record's bytes do not follow the record layout. */
        MALFORMED,
        /** A record carries another log's id. */
        WRONG_LOG,
        /** Sequence numbers jump forward: records are missing. */
        SEQUENCE_GAP,
        /** A sequence number repeats or goes backwards: records are duplicated or reordered. */
        SEQUENCE_REPEAT,
        /** A stored chain hash does not match the one recomputed from the bytes. */
        CHAIN_MISMATCH
    }

    @Override
    public String toString() {
        return kind + " at sequence " + sequence + ": " + message;
    }
}
