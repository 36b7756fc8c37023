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
    volatile int attempts;
    int failuresSinceRecovery;
    long retryAtNanos;
    volatile long failedThrough = -1;
    volatile Throwable lastError;
    /** Ticker time of the first failed attempt on the record the sink is at; read by sinkHealth(). */
    volatile long failingSinceNanos;
    /** The store's refusal of the record the sink is at (scrubbed reason), or null. */
    volatile String refusal;
    /** Whether audit.sink.stuck was recorded for the record the sink is at. */
    boolean stuckReported;
    /** Ticker time of the last periodic WARN about this sink. */
    long lastWarnNanos;
    /** An operator's request to store a record unindexed (AuditLog.storeUnindexed); taken by the dispatcher. */
    volatile Release release;

    /** A request of {@code AuditLog.storeUnindexed}, completed by the dispatcher. */
    record Release(long sequence, java.util.concurrent.CompletableFuture<Void> done) {
    }
    volatile boolean abandoned;
    /** Highest sequence a flush() caller needs durable in this sink; written under the hand-off lock. */
    volatile long flushWanted = -1;
    /** Highest sequence this sink has been flushed through (dispatcher only). */
    volatile long flushedThrough = -1;

    SinkState(AuditSink sink) {
        this.sink = sink;
    }

    /** Whether this sink has failed its retries on {@code seq} (or given up), so the record's receipt fails. */
    boolean holdsBack(long seq) {
        return nextSequence <= seq && (abandoned || seq <= failedThrough);
    }
}
