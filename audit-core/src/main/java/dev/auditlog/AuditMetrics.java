package dev.auditlog;

import java.time.Duration;

/**
 * A snapshot of an {@link AuditLog}'s counters, all since it was built.
 *
 * @param recorded         records accepted and given a sequence number (including the log's own records)
 * @param written          records durably stored by every sink
 * @param dropped          events not accepted because the queue was full (dropped, timed out or thrown)
 * @param skipped          events an interceptor decided not to record (such as a recording policy)
 * @param failed           records whose receipt failed because a sink could not store them
 * @param retried          sink write attempts that were retried
 * @param queueDepth       records accepted but not yet resolved (stored or failed)
 * @param oldestPendingAge how long the oldest of those has waited; zero when none
 * @param redacted         values the redaction replaced or dropped (secret-looking names, personal data, secrets in
 *                         text), see {@link Redaction}
 * @param failingSinks     sinks that are not storing records now: retries exhausted or stuck on a refused record
 *                         (see {@link AuditLog#sinkHealth()})
 */
public record AuditMetrics(long recorded, long written, long dropped, long skipped, long failed, long retried, long queueDepth,
                           Duration oldestPendingAge, long redacted, long failingSinks) {
}
