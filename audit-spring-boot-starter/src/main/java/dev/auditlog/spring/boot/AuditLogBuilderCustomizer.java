package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;

/**
 * Changes the {@link AuditLog.Builder} the starter configured from {@code auditlog.*}, just before the log is built:
 * declare beans of this type to set what properties do not cover (a clock, redaction, more sinks, interceptors).
 * Applied in {@link org.springframework.core.annotation.Order @Order}.
 */
@FunctionalInterface
public interface AuditLogBuilderCustomizer {

    /** Changes the builder. */
    void customize(AuditLog.Builder builder);
}
