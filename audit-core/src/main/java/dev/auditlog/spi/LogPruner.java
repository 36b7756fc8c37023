package dev.auditlog.spi;

import java.io.IOException;

/**
 * Retention for a store that supports it: removes a log's oldest records, but only under a signed retention
 * statement (docs/FORMAT.md section 11) that the log has already sealed into its chain. A sink offers one through
 * {@link dev.auditlog.spi.AuditSink#pruner()}; {@code AuditLog.prune} drives it: it verifies the log, seals the
 * statement, hands it to the anchors, and only then calls {@link #prune}. Nothing here can remove a record without a
 * statement, and a store never decides on its own what may go.
 */
public interface LogPruner {

    /**
     * Where a prune of the records before {@code before} would cut: the first record that would remain. A store that
     * removes whole units (a file sink's segments) answers the start of the newest unit at or below {@code before},
     * keeping the unit being written; a database answers {@code before}. Answers the log's current first record when
     * nothing qualifies. Reads only.
     *
     * @throws IOException when the log cannot be read, or does not exist
     */
    long cutPoint(String logId, long before) throws IOException;

    /**
     * Keeps {@code statement}, the durable retention record of the log, where the verifier finds a log's starting
     * point (beside the segments; a table), then removes the records before the statement's first record, which is
     * one of this store's {@linkplain #cutPoint cut points}.
     *
     * @param statement the sealed {@link SealedRecord#TYPE_RETENTION retention} record
     * @throws IOException when storage cannot be changed; the message names where and why
     */
    void prune(String logId, SealedRecord statement) throws IOException;
}
