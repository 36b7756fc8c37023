package dev.auditlog.spring.boot;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.GuardDecision;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.util.AntPathMatcher;
import org.springframework.util.ClassUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Asks the log's guard before a request reaches the application (and Spring Security): when the guard denies (an
 * actor or address locked out by a detection rule's {@code lockKey}, say), the request is answered with the
 * configured status (403, 423 or 429) and a plain body that does not say why, before any controller runs. The
 * decision is recorded durably either way (action {@code http.request}, target {@code http.request} =
 * {@code METHOD /path}); when it cannot be recorded the guard denies (fail-closed), so a store outage refuses the
 * guarded paths. Guard only the paths where that is wanted ({@code auditlog.web.lockout.include-paths}).
 *
 * <p>The actor is who the request claims to be, since it runs before authentication: the HTTP Basic user name,
 * the login form's user name parameter on a POST, or the user of the session's security context; else
 * {@code anonymous}. The origin is the peer address ({@code X-Forwarded-For} is not trusted here; put Spring's
 * {@code ForwardedHeaderFilter} in front for a trusted proxy).
 *
 * <p>(The {@code audit-servlet} module's filter does the same without Spring; the two could share this logic.)
 */
public class GuardLockoutFilter extends OncePerRequestFilter {
    /** The action of the guard's decision record for a request. */
    public static final String ACTION = "http.request";
    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.core.context.SecurityContext", GuardLockoutFilter.class.getClassLoader());

    private final AuditLog log;
    private final int status;
    private final List<String> include;
    private final List<String> exclude;
    private final String usernameParameter;
    private final AntPathMatcher matcher = new AntPathMatcher();

    /** A filter for {@code log} with the settings of {@code auditlog.web.lockout}. */
    public GuardLockoutFilter(AuditLog log, AuditLogProperties.Lockout settings) {
        this.log = log;
        this.status = settings.getStatus();
        this.include = List.copyOf(settings.getIncludePaths());
        this.exclude = List.copyOf(settings.getExcludePaths());
        this.usernameParameter = settings.getUsernameParameter();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = Requests.path(request);
        return include.stream().noneMatch(p -> matcher.match(p, path))
                || exclude.stream().anyMatch(p -> matcher.match(p, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AuditEvent.Builder intent = AuditEvent.builder().action(ACTION).category(Category.AUTHORIZATION)
                .actor(claimedActor(request)).outcome(Outcome.of(OutcomeStatus.PENDING))
                .target("http.request", request.getMethod() + " " + Requests.path(request));
        Requests.origin(request, Channel.API).ifPresent(intent::origin);
        GuardDecision decision = log.guard(intent.build());
        if (!decision.allowed()) {
            response.setStatus(status);
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(("Request denied (" + decision.correlationId() + ")\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    private Actor claimedActor(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return Requests.user(colon < 0 ? decoded : decoded.substring(0, colon)); // never the password
            } catch (IllegalArgumentException e) {
                return Requests.user(null);
            }
        }
        if ("POST".equals(request.getMethod()) && usernameParameter != null && !usernameParameter.isEmpty()) {
            String name = request.getParameter(usernameParameter);
            if (name != null) {
                return Requests.user(name);
            }
        }
        if (SECURITY) {
            HttpSession session = request.getSession(false);
            if (session != null && session.getAttribute("SPRING_SECURITY_CONTEXT")
                    instanceof org.springframework.security.core.context.SecurityContext sc
                    && sc.getAuthentication() != null && sc.getAuthentication().getName() != null) {
                return Requests.user(sc.getAuthentication().getName());
            }
        }
        return Actor.user("anonymous");
    }
}
