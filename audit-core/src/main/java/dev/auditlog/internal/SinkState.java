package dev.auditlog.internal;

import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;

/**
 * The dispatcher's view of one sink: how far it got and how its retries stand. Written by the dispatcher only;
 * the fields flush() reads from a caller's thread are volatile.
 */
final class SinkState {
    final AuditSink sink;
    ChainHead head;
    volatile long nextSequence;
    /** Volatile for {@code AuditLog.sinks()}, read from callers' threads; written by the dispatcher only. */
    volatile int attempts;
    int failuresSinceRecovery;
    long retryAtNanos;
    volatile long failedThrough = -1;
    volatile Throwable lastError;
    volatile boolean abandoned;
    /** Highest sequence a flush() caller needs durable in this sink; written under the hand-off lock. */
    volatile long flushWanted = -1;
    /** Highest sequence this sink has been flushed through (dispatcher only). */
    volatile long flushedThrough = -1;

    SinkState(AuditSink sink) {
        this.sink = sink;
    }

    /** A snapshot for {@code AuditLog.sinks()}; any thread. */
    dev.auditlog.SinkStatus status() {
        int failed = attempts;
        boolean down = abandoned || failedThrough >= 0;
        dev.auditlog.SinkStatus.State state = down ? dev.auditlog.SinkStatus.State.DOWN
                : failed > 0 ? dev.auditlog.SinkStatus.State.RETRYING : dev.auditlog.SinkStatus.State.UP;
        Throwable error = lastError;
        return new dev.auditlog.SinkStatus(sink.name(), state, nextSequence - 1, failed,
                java.util.Optional.ofNullable(down && error != null ? error.getClass().getName() : null));
    }

    /** Whether this sink has failed its retries on {@code seq} (or given up), so the record's receipt fails. */
    boolean holdsBack(long seq) {
        return nextSequence <= seq && (abandoned || seq <= failedThrough);
    }
}
