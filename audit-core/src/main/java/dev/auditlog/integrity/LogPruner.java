package dev.auditlog.integrity;

import java.io.IOException;

/**
 * Retention for a store that supports it: removes a log's oldest records in whole storage units, after storing a
 * signed checkpoint of everything removed so that the verifier can start after them (see
 * {@link dev.auditlog.spi.LogScan#retentionStart}). A store module offers one through a {@link Provider}, found
 * with {@link java.util.ServiceLoader} (beside its {@link dev.auditlog.spi.AuditSinkProvider}), which the
 * {@code auditlog prune} command uses.
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

    /**
     * Makes pruners from store URIs such as {@code file:./audit}; declare it with {@code provides
     * dev.auditlog.integrity.LogPruner.Provider with ...} and in {@code META-INF/services}.
     */
    interface Provider {
        /** The URI scheme this provider serves, without the colon, for example {@code "file"}. Lowercase. */
        String scheme();

        /**
         * A pruner over the storage {@code spec} names.
         *
         * @throws IllegalArgumentException when the spec is malformed
         */
        LogPruner pruner(String spec);
    }
}
