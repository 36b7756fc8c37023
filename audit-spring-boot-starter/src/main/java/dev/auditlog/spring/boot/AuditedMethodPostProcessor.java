package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.spring.Audited;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Proxies beans with {@link Audited} methods (class-based proxies, as Spring Boot does by default), the way
 * Spring's own {@code MethodValidationPostProcessor} does: works with or without AspectJ, and joins an existing
 * proxy (such as {@code @Transactional}'s) as the outermost advice, so the record sees the transaction's outcome.
 */
public class AuditedMethodPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {
    private static final long serialVersionUID = 1L;

    private final transient ObjectProvider<AuditLog> log;

    /** Records into the {@link AuditLog} bean, looked up at the first call. */
    public AuditedMethodPostProcessor(ObjectProvider<AuditLog> log) {
        this.log = log;
        setProxyTargetClass(true);
        setBeforeExistingAdvisors(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Audited.class, true),
                new AuditedMethodInterceptor(log::getObject, beanFactory));
    }
}
