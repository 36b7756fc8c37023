package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.SinkStatus;
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
        for (SinkStatus s : log.sinks()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", s.state().name());
            d.put("storedThrough", s.storedThrough());
            d.put("failedAttempts", s.failedAttempts());
            s.lastError().ifPresent(e -> d.put("lastError", e));
            sinks.put(s.name(), d);
            down |= s.state() == SinkStatus.State.DOWN;
        }
        AuditMetrics m = log.metrics();
        builder.status(down ? "DOWN" : "UP").withDetail("logId", log.logId()).withDetail("sinks", sinks)
                .withDetail("queueDepth", m.queueDepth())
                .withDetail("oldestUnsentAge", m.oldestPendingAge().toString());
        log.lastCheckpointAge().ifPresent(a -> builder.withDetail("lastCheckpointAge", a.toString()));
    }
}
