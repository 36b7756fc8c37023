package dev.auditlog;

/**
 * What {@link AuditLog#record} does when the queue is full, i.e. when {@code queueCapacity} records are accepted
 * but not yet stored. Every record that is not accepted is counted in {@link AuditMetrics#dropped()}.
 */
public enum OverflowPolicy {
    /** Wait until there is room. The caller is slowed down to the pace of the sinks; nothing is dropped. */
    BLOCK,
    /**
     * Wait at most {@link AuditLog.Builder#blockTimeout the block timeout}, then throw {@link AuditException}.
     */
    BLOCK_WITH_TIMEOUT,
    /**
     * Do not wait: the event is not recorded, the returned receipt says {@link AuditReceipt#isDropped() dropped},
     * the drop is counted and listeners are told.
     */
    DROP,
    /** Do not wait: throw {@link AuditException}. */
    THROW
}
