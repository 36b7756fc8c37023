package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;

/**
 * Spring Security's authentication and authorization events as sealed records ({@link SecurityEventRecorder}),
 * when Spring Security is on the class path. {@code auditlog.security.enabled=false} turns it off.
 */
@AutoConfiguration(after = AuditLogAutoConfiguration.class)
@ConditionalOnClass(AbstractAuthenticationEvent.class)
@ConditionalOnBean(AuditLog.class)
@ConditionalOnProperty(prefix = "auditlog.security", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AuditLogSecurityAutoConfiguration {

    /** Records authentication success and failure, authorization denial and logout. */
    @Bean
    @ConditionalOnMissingBean
    public SecurityEventRecorder auditLogSecurityEventRecorder(AuditLog log) {
        return new SecurityEventRecorder(log);
    }
}
