package dev.auditlog;

import java.util.concurrent.CompletionStage;

/**
 * What {@link AuditLog#record} returns: the record's sequence number in its log and a stage that completes when
 * every sink has durably stored the record, or fails with {@link AuditException} when it cannot be stored.
 */
public interface AuditReceipt {

    /**
     * The record's position in its log (0-based, contiguous).
     *
     * @throws IllegalStateException when the event was dropped or skipped and so has no sequence number; the
     *                               message says which and why
     */
    long sequence();

    /**
     * True when the event was not recorded because the queue was full under {@link OverflowPolicy#DROP}; then
     * {@link #durable()} fails. Counted in {@link AuditMetrics#dropped()}.
     */
    boolean isDropped();

    /**
     * True when an {@linkplain dev.auditlog.spi.AuditInterceptor interceptor} (such as a recording policy) decided
     * not to record the event; then {@link #durable()} completes normally. Counted in {@link AuditMetrics#skipped()}.
     */
    boolean isSkipped();

    /**
     * Completes normally when every sink has durably stored the record; completes exceptionally with
     * {@link AuditException} when it cannot be stored or was dropped.
     */
    CompletionStage<Void> durable();

    /**
     * Waits until the record is durable.
     *
     * @throws AuditException when it cannot be stored, was dropped, or the wait was interrupted
     */
    void await();
}
