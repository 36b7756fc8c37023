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
    long failedThrough = -1;
    Throwable lastError;
    boolean abandoned;
    volatile boolean flushRequested;

    SinkState(AuditSink sink) {
        this.sink = sink;
    }
}
