package dev.auditlog.kafka;

import java.util.Objects;

/**
 * Something the {@link KafkaCollector} found that it could not store: a gap in a chain, a record that fails
 * verification or differs from the stored copy, bytes that are not a record, a stored chain that no longer verifies. Each is reported to the alert listener
 * and recorded as an event ({@code audit.collector.<kind>}) in the collector's own log, never skipped silently.
 *
 * @param kind      what was found
 * @param chainId   the chain concerned (the record key), or empty when the record had no usable key
 * @param sequence  the record's sequence number in its chain, or -1 when unknown
 * @param topic     where the record is in Kafka: topic,
 * @param partition partition
 * @param offset    and offset (replay from there once the cause is understood)
 * @param message   what is wrong, in words
 */
public record CollectorAlert(Kind kind, String chainId, long sequence, String topic, int partition, long offset,
                             String message) {

    /** Checks the fields. */
    public CollectorAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
    }

    /** What the collector found. */
    public enum Kind {
        /** Records of a chain are missing: the next record in Kafka is beyond the one the store expects. */
        GAP,
        /**
         * A record fails verification (link, log id, checkpoint signature or root), or differs from the copy the
         * store already holds for its sequence number.
         */
        TAMPERED,
        /** The message is not a sealed record, or has no valid chain id as its key. */
        MALFORMED,
        /**
         * The central store's copy of a chain the collector resumes does not verify (a record edited, removed or
         * spliced in, a checkpoint whose signature or Merkle root fails), or its head is not where the verified
         * chain ends: the store was changed behind the collector's back, so nothing is appended to that chain.
         */
        STORE_TAMPERED
    }

    @Override
    public String toString() {
        return kind + " in chain " + (chainId.isEmpty() ? "(none)" : chainId)
                + (sequence >= 0 ? " at sequence " + sequence : "") + " (" + topic + " partition " + partition
                + " offset " + offset + "): " + message;
    }
}
