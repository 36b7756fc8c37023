package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/** {@link dev.auditlog.spring.Audited @Audited} service methods. */
@AutoConfiguration(after = AuditLogAutoConfiguration.class)
@ConditionalOnProperty(prefix = "auditlog", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AuditedAutoConfiguration {

    /** Static, as a post-processor must be, so that it does not bring this configuration up early. */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static AuditedMethodPostProcessor auditedMethodPostProcessor(ObjectProvider<AuditLog> log) {
        return new AuditedMethodPostProcessor(log);
    }
}
