package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit log's health ({@code /actuator/health/auditlog}): DOWN when a sink is FAILING or STUCK (receipts of what
 * it holds back fail), else UP. Details: each sink's {@link dev.auditlog.SinkHealth} (status, stored through, failed
 * attempts, the record it is stuck on, for how long, the scrubbed reason); the queue depth and the oldest unsent
 * record's age; the age of
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
        builder.status(HealthCheck.check(log, details)).withDetails(details);
    }
}
