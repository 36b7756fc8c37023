package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.SinkHealth;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log's health ({@code /actuator/health/auditlog}): DOWN when a sink is down (its retries are exhausted,
 * so receipts fail), else UP. Details: each sink's state, what it stored through and its failed attempts (the
 * exception class when down, never the message); the queue depth and the oldest unsent record's age; the age of
 * the last durable checkpoint (absent when the log signs none, or none yet).
 */
public class AuditLogHealthIndicator extends AbstractHealthIndicator {
    private final AuditLog log;

    /** Reports on {@code log}. */
    public AuditLogHealthIndicator(AuditLog log) {
        super("audit log health check failed");
        this.log = log;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean down = false;
        Map<String, Object> sinks = new LinkedHashMap<>();
        for (SinkHealth s : log.sinkHealth()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", s.status().name());
            d.put("storedThrough", s.storedThrough());
            d.put("failedAttempts", s.failedAttempts());
            s.stuckSequence().ifPresent(q -> d.put("stuckSequence", q));
            if (!s.failingFor().isZero()) {
                d.put("failingFor", s.failingFor().toString());
            }
            s.reason().ifPresent(r -> d.put("reason", r));
            sinks.put(s.sink(), d);
            down |= s.status() == SinkHealth.Status.FAILING || s.status() == SinkHealth.Status.STUCK;
        }
        AuditMetrics m = log.metrics();
        builder.status(down ? "DOWN" : "UP").withDetail("logId", log.logId()).withDetail("chainId", log.chainId()).withDetail("sinks", sinks)
                .withDetail("queueDepth", m.queueDepth())
                .withDetail("oldestUnsentAge", m.oldestPendingAge().toString());
        log.lastCheckpointAge().ifPresent(a -> builder.withDetail("lastCheckpointAge", a.toString()));
    }
}
