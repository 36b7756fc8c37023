package dev.auditlog;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AuditLog#prune} did.
 *
 * @param firstKept         the log's first record afterwards, in the sinks that pruned
 * @param statementSequence the sequence number of the retention record sealed for it, or -1 when nothing qualified
 *                          and nothing was recorded
 * @param pruned            the sinks that removed records, by name
 * @param kept              the sinks that support retention but kept their records, by name: nothing qualified,
 *                          or the cut is not one of their unit boundaries (a file sink removes whole segments)
 */
public record PruneResult(long firstKept, long statementSequence, List<String> pruned, List<String> kept) {

    /** Validates and copies the components. */
    public PruneResult {
        pruned = List.copyOf(Objects.requireNonNull(pruned, "pruned"));
        kept = List.copyOf(Objects.requireNonNull(kept, "kept"));
    }

    /** Whether anything was removed. */
    public boolean removedAny() {
        return !pruned.isEmpty();
    }
}
