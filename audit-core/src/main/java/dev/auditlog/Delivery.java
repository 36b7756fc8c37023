package dev.auditlog;

/** When {@link AuditLog#record} returns. */
public enum Delivery {
    /**
     * Return as soon as the record is queued; its receipt completes when every sink stored it. The default. The
     * caller does not wake the background thread: while it has been busy in the last 50 ms it picks queued records
     * up within 0.5 ms on its own, so a record may take that much longer to become durable.
     */
    ASYNC,
    /**
     * Fail-closed: return only once the record is durable in every sink, and throw {@link AuditException} when it
     * cannot be stored, so that the caller's action does not proceed unaudited.
     */
    SYNC
}
