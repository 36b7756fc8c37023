package dev.auditlog.spring.boot;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.Locale;
import java.util.Optional;

/**
 * Records Spring Security's events as typed records, with no application code:
 *
 * <table>
 *   <caption>Spring Security event to record</caption>
 *   <tr><th>event</th><th>action</th><th>category</th><th>outcome</th></tr>
 *   <tr><td>{@code AuthenticationSuccessEvent}</td><td>{@code authn_login_success}</td><td>AUTHENTICATION</td>
 *       <td>SUCCESS</td></tr>
 *   <tr><td>{@code AbstractAuthenticationFailureEvent}</td><td>{@code authn_login_fail}</td><td>AUTHENTICATION</td>
 *       <td>FAILURE, reason code from the exception ({@code bad_credentials}, {@code locked}, ...)</td></tr>
 *   <tr><td>{@code AuthorizationDeniedEvent}</td><td>{@code authz_fail}</td><td>AUTHORIZATION</td>
 *       <td>DENIED ({@code access_denied}), target {@code http.request} (the path) or {@code method}</td></tr>
 *   <tr><td>{@code LogoutSuccessEvent}</td><td>{@code authn_logout}</td><td>AUTHENTICATION</td><td>SUCCESS</td></tr>
 * </table>
 *
 * <p>The actor is the authentication's name (the attempted user name for a failure); the origin is the client
 * address Spring Security saw ({@code WebAuthenticationDetails}, else the current request's peer address). The
 * exception's class is kept as {@code exception.class}, never its message; credentials and session ids never are.
 * A record that cannot be stored surfaces as the log's exception (in {@code SYNC} delivery that fails the login:
 * fail-closed).
 */
public class SecurityEventRecorder implements ApplicationListener<ApplicationEvent> {
    /** The action of a recorded logout. */
    public static final String LOGOUT = "authn_logout";

    private static final boolean WEB = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
            SecurityEventRecorder.class.getClassLoader()) && ClassUtils.isPresent(
            "org.springframework.web.context.request.RequestContextHolder", SecurityEventRecorder.class.getClassLoader())
            && ClassUtils.isPresent("org.springframework.security.web.authentication.WebAuthenticationDetails",
            SecurityEventRecorder.class.getClassLoader());

    private final AuditLog log;

    /** Records into {@code log}. */
    public SecurityEventRecorder(AuditLog log) {
        this.log = log;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof AuthenticationSuccessEvent e) {
            log.record(base(e, AuditActions.AUTHN_LOGIN_SUCCESS).outcome(Outcome.success()).build());
        } else if (event instanceof AbstractAuthenticationFailureEvent e) {
            log.record(base(e, AuditActions.AUTHN_LOGIN_FAIL).severity(Severity.WARNING)
                    .outcome(Outcome.failure(reasonCode(e.getException())))
                    .attribute("exception.class", e.getException().getClass().getName()).build());
        } else if (event instanceof LogoutSuccessEvent e) {
            log.record(base(e, LOGOUT).outcome(Outcome.success()).build());
        } else if (event instanceof AuthorizationDeniedEvent<?> e) {
            log.record(denied(e));
        }
    }

    @Override
    public boolean supportsAsyncExecution() {
        return false; // the record belongs to the request that caused it (its trace id, SYNC fail-closed)
    }

    private AuditEvent.Builder base(AbstractAuthenticationEvent e, String action) {
        Authentication a = e.getAuthentication();
        AuditEvent.Builder b = AuditEvent.builder().action(action).category(Category.AUTHENTICATION)
                .actor(Requests.user(a.getName()))
                .attribute("authentication.type", a.getClass().getSimpleName());
        origin(a.getDetails()).ifPresent(b::origin);
        return b;
    }

    private AuditEvent denied(AuthorizationDeniedEvent<?> e) {
        Authentication a = e.getAuthentication().get();
        AuditEvent.Builder b = AuditEvent.builder().action(AuditActions.AUTHZ_FAIL).category(Category.AUTHORIZATION)
                .severity(Severity.WARNING).actor(a == null ? Actor.user("anonymous") : Requests.user(a.getName()))
                .outcome(Outcome.denied("access_denied"));
        Object secured = e.getSource();
        if (WEB && secured instanceof HttpServletRequest request) {
            b.target("http.request", request.getMethod() + " " + Requests.path(request));
            Requests.origin(request, Channel.API).ifPresent(b::origin);
        } else {
            if (secured instanceof org.aopalliance.intercept.MethodInvocation mi) {
                b.target("method", mi.getMethod().getDeclaringClass().getName() + "#" + mi.getMethod().getName());
            }
            origin(a == null ? null : a.getDetails()).ifPresent(b::origin);
        }
        if (a != null) {
            b.attribute("authentication.type", a.getClass().getSimpleName());
        }
        return b.build();
    }

    private static Optional<Origin> origin(Object details) {
        if (WEB) {
            if (details instanceof WebAuthenticationDetails w) {
                return Requests.originOfIp(w.getRemoteAddress(), Channel.API);
            }
            RequestAttributes attrs = RequestContextHolder.getRequestAttributes();
            if (attrs instanceof ServletRequestAttributes s) {
                return Requests.origin(s.getRequest(), Channel.API);
            }
        }
        return Optional.empty();
    }

    /** BadCredentialsException -> bad_credentials; a class name never carries user data. */
    static String reasonCode(Throwable t) {
        String name = t.getClass().getSimpleName();
        if (name.endsWith("Exception")) {
            name = name.substring(0, name.length() - "Exception".length());
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                b.append('_');
            }
            b.append(Character.toLowerCase(c));
        }
        return b.isEmpty() ? "authentication_failed" : b.toString().toLowerCase(Locale.ROOT);
    }
}
