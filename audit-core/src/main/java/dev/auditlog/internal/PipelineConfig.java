package dev.auditlog.internal;

import dev.auditlog.AuditListener;
import dev.auditlog.Delivery;
import dev.auditlog.OverflowPolicy;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.CheckpointAnchor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The validated settings of an {@link dev.auditlog.AuditLog.Builder}. */
public record PipelineConfig(List<AuditSink> sinks, List<AuditListener> listeners, Clock clock, String logId,
                             int queueCapacity, int maxBatchSize, OverflowPolicy overflowPolicy,
                             Duration blockTimeout, Delivery delivery, int maxAttempts, Duration initialBackoff,
                             Duration maxBackoff, Duration closeTimeout, boolean strict, boolean shutdownHook,
                             String mdcTraceId, String mdcSpanId, String mdcRequestId,
                             SigningKey checkpointKey, int checkpointEveryRecords, Duration checkpointInterval,
                             List<CheckpointAnchor> anchors, Protection protection) {

    public boolean checkpoints() {
        return checkpointKey != null;
    }
}
