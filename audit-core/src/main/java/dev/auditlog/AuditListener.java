package dev.auditlog;

/**
 * Told about failures and drops as they happen, from the log's dispatcher thread (sink failures) or the caller's
 * thread (drops). Implementations must be fast and must not throw; an exception is caught and logged. Failures
 * are also logged through SLF4J (logger {@code dev.auditlog}) and counted in {@link AuditMetrics}, whatever
 * listeners are registered.
 */
public interface AuditListener {

    /** A sink failed to store a batch. */
    default void onSinkFailure(SinkFailure failure) {
    }

    /**
     * A sink is stuck: its store refuses a record for its content and the retries are exhausted. Told once per stuck
     * record; {@code audit.sink.stuck} is recorded too, and the log warns periodically until it is resolved.
     */
    default void onSinkStuck(SinkHealth health) {
    }

    /** An event was not recorded because the queue was full. */
    default void onDrop(AuditEvent event, OverflowPolicy policy) {
    }
}
