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
     * @throws IllegalStateException when the event was dropped and so has no sequence number
     */
    long sequence();

    /**
     * True when the event was not recorded: the queue was full under {@link OverflowPolicy#DROP} (then
     * {@link #durable()} fails), or the log's {@link dev.auditlog.protect.RecordingPolicy} skipped it (then
     * {@link #durable()} completes normally; the skip is counted in an {@code audit.policy.sampled} record).
     */
    boolean isDropped();

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
