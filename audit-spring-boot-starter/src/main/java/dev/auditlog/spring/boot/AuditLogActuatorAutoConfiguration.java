package dev.auditlog.spring.boot;

import dev.auditlog.Actor;
import dev.auditlog.AuditLog;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.AuditEventsEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Spring Boot Actuator on the audit log: the {@link AuditEventRepository} behind {@code /actuator/auditevents}
 * (with paging over HTTP) and the {@code auditlog} health indicator. Runs before Actuator's own audit
 * auto-configuration, which then finds this repository and publishes into it.
 */
@AutoConfiguration(after = {AuditLogAutoConfiguration.class, AuditLogSecurityAutoConfiguration.class},
        beforeName = {"org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.audit.AuditEventsEndpointAutoConfiguration"})
@ConditionalOnClass(AuditEventRepository.class)
@ConditionalOnBean(AuditLog.class)
public class AuditLogActuatorAutoConfiguration {

    /** The repository and its HTTP paging. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "auditlog.audit-events", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class Repository {

        @Bean
        @ConditionalOnMissingBean(AuditEventRepository.class)
        AuditLogEventRepository auditLogEventRepository(AuditLog log, AuditLogProperties properties,
                                                        ObjectProvider<AuditSink> sinks,
                                                        ObjectProvider<SecurityEventRecorder> recorder) {
            Supplier<Optional<AuditReader>> readers = () -> sinks.orderedStream().map(AuditSink::reader)
                    .flatMap(Optional::stream).findFirst();
            return new AuditLogEventRepository(log, readers, properties.getAuditEvents().getPageSize(),
                    recorder.getIfAvailable() != null, AuditLogActuatorAutoConfiguration::currentReader);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnBean(AuditLogEventRepository.class)
        @ConditionalOnAvailableEndpoint(endpoint = AuditEventsEndpoint.class)
        AuditEventsWebExtension auditLogAuditEventsWebExtension(AuditLogEventRepository repository,
                                                                AuditLogProperties properties) {
            return new AuditEventsWebExtension(repository, properties.getAuditEvents().getPageSize());
        }
    }

    /** The health indicator {@code auditlog}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.auditlog", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class HealthIndicator {

        @Bean(name = "auditlogHealthIndicator")
        @ConditionalOnMissingBean(name = "auditlogHealthIndicator")
        AuditLogHealthIndicator auditlogHealthIndicator(AuditLog log) {
            return new AuditLogHealthIndicator(log);
        }
    }

    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContextHolder",
            AuditLogActuatorAutoConfiguration.class.getClassLoader());

    /** Who is reading the audit events: the authenticated user, else the actuator itself. */
    static Actor currentReader() {
        if (SECURITY) {
            org.springframework.security.core.Authentication a =
                    org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
            if (a != null && a.isAuthenticated() && a.getName() != null) {
                return Requests.user(a.getName());
            }
        }
        return Actor.service("actuator");
    }
}
