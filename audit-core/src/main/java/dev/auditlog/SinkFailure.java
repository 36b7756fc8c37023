package dev.auditlog;

/**
 * A sink failed to store a batch, told to {@link AuditListener#onSinkFailure}.
 *
 * @param sink          the sink's {@link dev.auditlog.spi.AuditSink#name() name}
 * @param firstSequence first sequence number of the batch
 * @param lastSequence  last sequence number of the batch
 * @param attempt       how many consecutive attempts have failed (1 for the first)
 * @param receiptsFailed true when the retries are exhausted and the batch's receipts were failed; false when
 *                      the batch will be retried before any receipt fails
 * @param cause         what the sink threw
 */
public record SinkFailure(String sink, long firstSequence, long lastSequence, int attempt, boolean receiptsFailed,
                          Throwable cause) {
}
