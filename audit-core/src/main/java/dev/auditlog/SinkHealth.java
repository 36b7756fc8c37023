package dev.auditlog;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How one sink of an {@link AuditLog} stands: from {@link AuditLog#sinkHealth()} (a health check), and told to
 * {@link AuditListener#onSinkStuck} when a store refuses a record.
 *
 * @param sink            the sink's name
 * @param status          see {@link Status}
 * @param storedThrough   the highest sequence number the sink stored; -1 when none
 * @param failedAttempts  consecutive failed attempts on the record the sink is at; 0 when it is {@link Status#OK}
 * @param stuckSequence   the record the sink has not got past, while it is not {@link Status#OK}
 * @param failingFor      how long the sink has been failing on that record; zero when OK
 * @param reason          the sink's last error, scrubbed of credentials and record contents; empty when OK
 */
public record SinkHealth(String sink, Status status, long storedThrough, int failedAttempts,
                         OptionalLong stuckSequence, Duration failingFor, Optional<String> reason) {

    /** Where a sink stands. */
    public enum Status {
        /** Storing records as they come. */
        OK,
        /** A write failed and is being retried; receipts have not failed yet. */
        RETRYING,
        /**
         * Retries are exhausted (the store is unreachable or failing): receipts of records it holds back fail, and it
         * keeps retrying every maximum backoff.
         */
        FAILING,
        /**
         * The store refuses one record for its content ({@link dev.auditlog.spi.RecordRefusedException}): the sink
         * cannot get past it until an operator resolves it with {@link AuditLog#storeUnindexed(String, long)}.
         */
        STUCK
    }

    /** Checks the arguments; see the record components. */
    public SinkHealth {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stuckSequence, "stuckSequence");
        Objects.requireNonNull(failingFor, "failingFor");
        Objects.requireNonNull(reason, "reason");
    }
}
