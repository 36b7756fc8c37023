package dev.auditlog;

import java.util.Objects;
import java.util.Optional;

/**
 * How one sink of an {@link AuditLog} stands, for health checks and metrics ({@link AuditLog#sinks()}). A snapshot:
 * the log's dispatcher thread moves on while it is read.
 *
 * @param name           the sink's {@link dev.auditlog.spi.AuditSink#name() name}
 * @param state          up, retrying or down
 * @param storedThrough  the highest sequence number this sink has stored; -1 when it holds none yet
 * @param failedAttempts consecutive failed write attempts since the sink last succeeded; 0 when up
 * @param lastError      the class name of what the sink last threw once its retries were exhausted (never the
 *                       message, which may quote a connection string); empty when up
 */
public record SinkStatus(String name, State state, long storedThrough, int failedAttempts,
                         Optional<String> lastError) {

    /** Validates the components. */
    public SinkStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastError, "lastError");
        if (storedThrough < -1) {
            throw new IllegalArgumentException("storedThrough must be >= -1, was " + storedThrough);
        }
        if (failedAttempts < 0) {
            throw new IllegalArgumentException("failedAttempts must be >= 0, was " + failedAttempts);
        }
    }

    /** Where a sink stands. */
    public enum State {
        /** Its last write succeeded (or it has not needed one). */
        UP,
        /** Its last write failed and will be retried before any receipt fails. */
        RETRYING,
        /**
         * Its retries are exhausted: receipts of records it has not stored fail, and the log keeps retrying in the
         * background (or, while closing, gave up on it).
         */
        DOWN
    }
}
