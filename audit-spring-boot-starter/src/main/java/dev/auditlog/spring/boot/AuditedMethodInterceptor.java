package dev.auditlog.spring.boot;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Channel;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.spring.Audited;
import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Records the calls of {@link Audited} methods; see there. */
final class AuditedMethodInterceptor implements MethodInterceptor {
    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContextHolder",
            AuditedMethodInterceptor.class.getClassLoader());
    private static final boolean WEB = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
            AuditedMethodInterceptor.class.getClassLoader()) && ClassUtils.isPresent(
            "org.springframework.web.context.request.RequestContextHolder",
            AuditedMethodInterceptor.class.getClassLoader());

    private final Supplier<AuditLog> log;
    private final BeanFactory beanFactory;
    private final ExpressionParser parser = new SpelExpressionParser();
    private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
    private final Map<Method, Spec> specs = new ConcurrentHashMap<>();

    AuditedMethodInterceptor(Supplier<AuditLog> log, BeanFactory beanFactory) {
        this.log = log;
        this.beanFactory = beanFactory;
    }

    /** An annotation, parsed once per method; a malformed one fails its first call naming the method. */
    private record Spec(Audited audited, Expression targetId, List<String> attributeNames,
                        List<Expression> attributeValues, Expression actor) {
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetClass = target == null ? method.getDeclaringClass() : AopUtils.getTargetClass(target);
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        Spec spec = specs.computeIfAbsent(specific, this::parse);
        AuditEvent intent = intent(spec, specific, invocation.getArguments(), target);
        AuditLog auditLog = log.get();
        if (spec.audited().guarded()) {
            try {
                return auditLog.guarded(intent, () -> {
                    try {
                        return invocation.proceed();
                    } catch (Exception e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new Rethrown(t);
                    }
                });
            } catch (Rethrown r) {
                throw r.getCause();
            }
        }
        Object result;
        try {
            result = invocation.proceed();
        } catch (Throwable t) {
            auditLog.record(intent.toBuilder().newEventId().outcome(Outcome.failure("exception"))
                    .attribute("exception.class", t.getClass().getName()).build());
            throw t;
        }
        auditLog.record(intent);
        return result;
    }

    /** Carries a Throwable that is not an Exception through GuardedAction. */
    private static final class Rethrown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rethrown(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    private Spec parse(Method method) {
        Audited a = AnnotatedElementUtils.findMergedAnnotation(method, Audited.class);
        String where = "@Audited on " + method.getDeclaringClass().getName() + "#" + method.getName();
        if (a == null) {
            throw new IllegalStateException(where + ": annotation not found");
        }
        if (!a.action().matches(AuditEvent.ACTION_REGEX)) {
            throw new IllegalStateException(where + ": action must match " + AuditEvent.ACTION_REGEX + ", was \""
                    + a.action() + "\"");
        }
        if (a.targetType().isEmpty() != a.targetId().isEmpty()) {
            throw new IllegalStateException(where + ": targetType and targetId go together");
        }
        List<String> attrNames = new ArrayList<>();
        List<Expression> attrValues = new ArrayList<>();
        for (String attr : a.attributes()) {
            int eq = attr.indexOf('=');
            if (eq < 1) {
                throw new IllegalStateException(where + ": attributes must be name=SpEL, was \"" + attr + "\"");
            }
            attrNames.add(attr.substring(0, eq).strip());
            attrValues.add(expression(where, attr.substring(eq + 1)));
        }
        return new Spec(a, a.targetId().isEmpty() ? null : expression(where, a.targetId()), List.copyOf(attrNames),
                List.copyOf(attrValues), a.actor().isEmpty() ? null : expression(where, a.actor()));
    }

    private Expression expression(String where, String text) {
        try {
            return parser.parseExpression(text.strip());
        } catch (RuntimeException e) {
            throw new IllegalStateException(where + ": cannot parse the expression \"" + text + "\": "
                    + e.getMessage(), e);
        }
    }

    private AuditEvent intent(Spec spec, Method method, Object[] args, Object target) {
        Audited a = spec.audited();
        MethodBasedEvaluationContext ctx = new MethodBasedEvaluationContext(new Root(method, args, target), method,
                args, names);
        if (beanFactory != null) {
            ctx.setBeanResolver(new BeanFactoryResolver(beanFactory));
        }
        AuditEvent.Builder b = AuditEvent.builder().action(a.action()).category(a.category())
                .outcome(Outcome.success());
        if (spec.targetId() != null) {
            Object id = spec.targetId().getValue(ctx);
            b.target(Target.of(a.targetType(), id == null ? "(null)" : String.valueOf(id)));
        }
        for (int i = 0; i < spec.attributeNames().size(); i++) {
            Object v = spec.attributeValues().get(i).getValue(ctx);
            String name = spec.attributeNames().get(i);
            if (v instanceof String s) {
                b.attribute(name, s);
            } else if (v instanceof Boolean bool) {
                b.attribute(name, bool);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                b.attribute(name, ((Number) v).longValue());
            } else if (v instanceof List<?> list) {
                b.attribute(name, list);
            } else if (v != null) {
                b.attribute(name, String.valueOf(v));
            }
        }
        if (spec.actor() != null) {
            Object actor = spec.actor().getValue(ctx);
            b.actor(actor == null ? Actor.system("application") : Requests.user(String.valueOf(actor)));
        } else {
            b.actor(currentActor());
        }
        if (WEB) {
            RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
            if (attrs instanceof ServletRequestAttributes s) {
                HttpServletRequest request = s.getRequest();
                Requests.origin(request, Channel.API).ifPresent(b::origin);
            }
        }
        return b.build();
    }

    private static Actor currentActor() {
        if (SECURITY) {
            org.springframework.security.core.Authentication auth =
                    org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
            if (auth != null && auth.isAuthenticated() && !(auth instanceof
                    org.springframework.security.authentication.AnonymousAuthenticationToken)) {
                return Requests.user(auth.getName());
            }
        }
        return Actor.system("application");
    }

    /** {@code #root}: the method, its arguments and the target object. */
    public record Root(Method method, Object[] args, Object target) {
        /** Compact constructor. */
        public Root {
            Objects.requireNonNull(method, "method");
        }
    }
}
