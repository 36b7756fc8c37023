package dev.auditlog.internal;

import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;

/** The dispatcher's view of one sink: how far it got and how its retries stand. */
final class SinkState {
    final AuditSink sink;
    ChainHead head;
    long nextSequence;
    int attempts;
    int failuresSinceRecovery;
    long retryAtNanos;
    volatile long failedThrough = -1;
    Throwable lastError;
    boolean abandoned;
    /** Highest sequence a flush() caller needs durable in this sink; written under the pipeline's lock. */
    volatile long flushWanted = -1;
    /** Highest sequence this sink has been flushed through (dispatcher only). */
    volatile long flushedThrough = -1;

    SinkState(AuditSink sink) {
        this.sink = sink;
    }
}
