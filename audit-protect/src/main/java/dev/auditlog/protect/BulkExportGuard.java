package dev.auditlog.protect;

import dev.auditlog.AuditEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Denies an export when the rows an actor exported in the sliding window plus this export's rows exceed the
 * threshold. Allowed exports are counted (when this rule lets them through). At most {@code maxActors} actors
 * (LRU); per actor at most {@code maxRows} entries, since each counts at least one row.
 */
final class BulkExportGuard implements GuardRule {
    private final String id;
    private final Glob action;
    private final String rowsAttribute;
    private final long maxRows;
    private final Duration window;
    private final long windowNanos;
    private final LruMap<String, ArrayDeque<long[]>> state;

    public BulkExportGuard(String id, Glob action, String rowsAttribute, long maxRows, Duration window, int maxActors) {
        this.id = id;
        this.action = action;
        this.rowsAttribute = rowsAttribute;
        this.maxRows = maxRows;
        this.window = window;
        this.windowNanos = window.toNanos();
        this.state = new LruMap<>(maxActors);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Optional<String> check(GuardContext ctx) {
        AuditEvent e = ctx.event();
        if (!action.matches(e.action())) {
            return Optional.empty();
        }
        Object r = e.attributes().get(rowsAttribute);
        long rows = r instanceof Long l ? Math.max(1, l) : 1;
        long now = BaseRule.nanos(ctx.now());
        synchronized (state) {
            ArrayDeque<long[]> q = state.computeIfAbsent(e.actor().id(), k -> new ArrayDeque<>());
            long sum = 0;
            while (!q.isEmpty() && now - q.peekFirst()[0] >= windowNanos) {
                q.pollFirst();
            }
            for (long[] x : q) {
                sum += x[1];
            }
            if (sum + rows > maxRows) {
                return Optional.of("bulk export: " + e.actor().id() + " exported " + sum + " rows in the last "
                        + window + "; " + rows + " more would exceed " + maxRows);
            }
            q.addLast(new long[] {now, rows});
            return Optional.empty();
        }
    }
}
