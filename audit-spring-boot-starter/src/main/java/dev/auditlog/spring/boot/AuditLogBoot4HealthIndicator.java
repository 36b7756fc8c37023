package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link AuditLogHealthIndicator} for Spring Boot 4, whose health API is {@code org.springframework.boot.health}:
 * the same status and details. Compiled against Boot 4's {@code spring-boot-health} (a provided dependency), loaded
 * only when that API is present and Boot 3's is not.
 */
public class AuditLogBoot4HealthIndicator extends AbstractHealthIndicator {
    private final AuditLog log;

    /** Reports on {@code log}. */
    public AuditLogBoot4HealthIndicator(AuditLog log) {
        super("audit log health check failed");
        this.log = log;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        builder.status(HealthCheck.check(log, details)).withDetails(details);
    }
}
