package dev.auditlog.spi;

import dev.auditlog.integrity.SigningKey;

import java.io.IOException;

/**
 * Retention for a store that supports it: removes a log's oldest records in whole storage units, after storing a
 * signed checkpoint of everything removed so that the verifier can start after them (see
 * {@link LogScan#retentionStart}). Obtained from {@link AuditSinkProvider#pruner(String)}.
 */
@FunctionalInterface
public interface LogPruner {

    /**
     * Removes the records of {@code logId} before {@code before}, or fewer (only whole units go; the unit being
     * written always stays).
     *
     * @param key the log's signing key, which signs the retention checkpoint
     * @return the log's first sequence number afterwards (unchanged when nothing qualified)
     * @throws IOException when storage cannot be read or changed; the message names where and why
     */
    long prune(String logId, long before, SigningKey key) throws IOException;
}
