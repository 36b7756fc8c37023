package dev.auditlog.internal;

import dev.auditlog.AuditListener;
import dev.auditlog.Delivery;
import dev.auditlog.OverflowPolicy;
import dev.auditlog.Ticker;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.TraceContextProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The validated settings of an {@link dev.auditlog.AuditLog.Builder}. The interceptors start with the log's
 * redaction, which always runs first. {@code logId} names the log; {@code chainId} ({@code <log id>@<instance id>})
 * the chain this process writes, which is what the engine seals, opens sinks for and anchors.
 */
public record EngineConfig(List<AuditSink> sinks, List<AuditListener> listeners,
                           List<AuditInterceptor> interceptors, Clock clock, Ticker ticker, String logId,
                           int queueCapacity, int maxBatchSize, OverflowPolicy overflowPolicy,
                           Duration blockTimeout, Delivery delivery, int maxAttempts, Duration initialBackoff,
                           Duration maxBackoff, Duration closeTimeout, boolean strict, boolean shutdownHook,
                           MdcKeys mdcKeys, Optional<SigningKey> checkpointKey, int checkpointEveryRecords,
                           Duration checkpointInterval, List<CheckpointAnchor> anchors,
                           List<TraceContextProvider> traceContexts, Optional<SigningKey> rotateKeyFrom,
                           String chainId) {

    /** The SLF4J MDC keys read when an event has no trace, span or request id. */
    public record MdcKeys(String traceId, String spanId, String requestId) {
    }

    public EngineConfig {
        sinks = List.copyOf(sinks);
        listeners = List.copyOf(listeners);
        interceptors = List.copyOf(interceptors);
        anchors = List.copyOf(anchors);
        traceContexts = List.copyOf(traceContexts);
    }

    boolean checkpoints() {
        return checkpointKey.isPresent();
    }
}
