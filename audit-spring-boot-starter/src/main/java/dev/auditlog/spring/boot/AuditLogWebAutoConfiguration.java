package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In a servlet web application, the {@link GuardLockoutFilter}, ordered before Spring Security's filter chain so
 * that a locked-out actor is refused before authentication and before any controller.
 * {@code auditlog.web.lockout.enabled=false} turns it off.
 */
@AutoConfiguration(after = AuditLogAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
@ConditionalOnBean(AuditLog.class)
@ConditionalOnProperty(prefix = "auditlog.web.lockout", name = "enabled", havingValue = "true", matchIfMissing = true)
public class AuditLogWebAutoConfiguration {
    /** Spring Security's filter chain runs at -100 (SecurityProperties.DEFAULT_FILTER_ORDER); this runs first. */
    static final int ORDER = -100 - 10;

    /** The filter, registered for every request; it picks its paths itself. */
    @Bean
    @ConditionalOnMissingBean(GuardLockoutFilter.class)
    public FilterRegistrationBean<GuardLockoutFilter> auditLogGuardLockoutFilter(AuditLog log,
                                                                                AuditLogProperties properties) {
        FilterRegistrationBean<GuardLockoutFilter> registration = new FilterRegistrationBean<>(
                new GuardLockoutFilter(log, properties.getWeb().getLockout()));
        registration.setName("auditLogGuardLockoutFilter");
        registration.setOrder(ORDER);
        return registration;
    }
}
