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
 * the last durable checkpoint (absent when the log signs none, or none yet). This class is Spring Boot 3's; on
 * Boot 4, whose health API moved to {@code org.springframework.boot.health}, the starter registers
 * {@link AuditLogBoot4HealthIndicator} instead, with the same status and details.
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
        Map<String, Object> details = new LinkedHashMap<>();
        builder.status(check(log, details)).withDetails(details);
    }

    /** The status (UP or DOWN) and the details; shared with {@link AuditLogBoot4HealthIndicator}. */
    static String check(AuditLog log, Map<String, Object> details) {
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
        details.put("logId", log.logId());
        details.put("sinks", sinks);
        details.put("queueDepth", m.queueDepth());
        details.put("oldestUnsentAge", m.oldestPendingAge().toString());
        log.lastCheckpointAge().ifPresent(a -> details.put("lastCheckpointAge", a.toString()));
        return down ? "DOWN" : "UP";
    }
}
