package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.micrometer.AuditAlertMetrics;
import dev.auditlog.micrometer.AuditLogMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The log's meters through {@code audit-micrometer}: {@link AuditLogMetrics} (counters, queue, sinks, checkpoint
 * age) and {@link AuditAlertMetrics} (alerts by detection rule, installed as an alert listener of the starter's
 * protection). Spring Boot binds every {@link MeterBinder} bean to its registries, so they show in
 * {@code /actuator/metrics} and {@code /actuator/prometheus}.
 */
@AutoConfiguration(after = AuditLogAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, AuditLogMetrics.class})
@ConditionalOnProperty(prefix = "auditlog", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AuditLogMetricsAutoConfiguration {

    /** The log's meters. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(AuditLog.class)
    public AuditLogMetrics auditLogMetrics(AuditLog log) {
        return new AuditLogMetrics(log);
    }

    /**
     * Alerts by rule. Defined before the log (it only needs the properties), so that the starter's protection picks
     * it up as an alert listener; the configured rules show 0 before they first fire.
     */
    @Bean
    @ConditionalOnMissingBean
    public AuditAlertMetrics auditAlertMetrics(AuditLogProperties properties) {
        return new AuditAlertMetrics(properties.getLogId(), properties.getProtection().getRules().stream()
                .map(AuditLogProperties.ThresholdRule::getId).toList());
    }
}
