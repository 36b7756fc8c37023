package dev.auditlog;

/** When {@link AuditLog#record} returns. */
public enum Delivery {
    /**
     * Return as soon as the record is queued; its receipt completes when every sink stored it. The default.
     */
    ASYNC,
    /**
     * Fail-closed: return only once the record is durable in every sink, and throw {@link AuditException} when it
     * cannot be stored, so that the caller's action does not proceed unaudited.
     */
    SYNC
}
