package dev.auditlog.servlet;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.GuardDecision;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Target;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A Jakarta Servlet 6 filter that records the requests to configured paths on an {@link AuditLog}, and, when
 * {@linkplain Builder#guard(boolean) guarding}, asks the log's guard first and answers a DENY itself, before the
 * application runs. Needs no framework: build it and register the instance.
 *
 * <pre>{@code
 * AuditFilter filter = AuditFilter.builder(log)
 *         .include("/api/*", "/login")
 *         .exclude("/api/health")
 *         .trustedProxies("10.0.0.0/8")       // the load balancers: X-Forwarded-For is believed from them only
 *         .guard(true).deniedStatus(423)     // a locked-out actor or address gets 423 Locked
 *         .build();
 * servletContext.addFilter("audit", filter).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * <p>Each recorded request is one event (two when guarding: the guard's decision, then the outcome, linked by a
 * correlation id):
 * <ul>
 *   <li>action {@code http.request} (settable), category {@code DATA_ACCESS} (settable);</li>
 *   <li>actor: {@link HttpServletRequest#getUserPrincipal()}'s name as a USER, else USER {@code anonymous}
 *       (settable with {@link Builder#actor});</li>
 *   <li>target: type {@code http.path}, id the path within the application (servlet path and path info, cut to
 *       256 characters);</li>
 *   <li>origin: the client IP (see {@link Builder#trustedProxies}), the {@code User-Agent} (cut to 1024
 *       characters), channel API;</li>
 *   <li>trace and span id: from a valid W3C {@code traceparent} header (its trace id and its parent id, the
 *       caller's span); a malformed one is ignored, and the log's trace context (such as OpenTelemetry's server
 *       span, or the MDC) applies instead;</li>
 *   <li>attributes {@code http.method}, {@code http.status} (on the outcome), {@code http.peer_ip} when the
 *       client IP came from {@code X-Forwarded-For}, {@code http.x_forwarded_for.invalid} when a malformed entry
 *       cut it short;</li>
 *   <li>outcome: SUCCESS below 400; DENIED (reason code {@code http_401} or {@code http_403}) for 401 and 403;
 *       FAILURE (reason code {@code http_<status>}) for other statuses, or {@code exception} with the attribute
 *       {@code exception.class} when the application threw.</li>
 * </ul>
 * An asynchronous request is recorded when it completes.
 *
 * <p>The outcome is recorded after the application ran, so a failure to record it cannot change the response: it
 * is logged (logger {@code dev.auditlog.servlet}) and counted ({@link #recordFailures()}). A guard that cannot
 * record its decision denies (the log fails closed).
 *
 * <p>Thread-safe; immutable once built.
 */
public final class AuditFilter implements Filter {
    /** The default action. */
    public static final String DEFAULT_ACTION = "http.request";
    /** The target type of the request path. */
    public static final String TARGET_TYPE = "http.path";
    /** The actor id of a request without a principal. */
    public static final String ANONYMOUS = "anonymous";
    /** The W3C Trace Context header. */
    public static final String TRACEPARENT = "traceparent";

    private static final Logger LOG = LoggerFactory.getLogger("dev.auditlog.servlet");
    private static final Set<Integer> DENIED_STATUSES = Set.of(403, 423, 429);
    private static final Pattern ACTION = Pattern.compile(AuditEvent.ACTION_REGEX);
    private static final int MAX_PATH = 256;
    private static final int MAX_USER_AGENT = 1024;
    private static final int MAX_REQUEST_ID = 256;

    private final AuditLog log;
    private final List<PathPattern> includes;
    private final List<PathPattern> excludes;
    private final ClientAddress clients;
    private final boolean guard;
    private final int deniedStatus;
    private final String action;
    private final Category category;
    private final Function<HttpServletRequest, Optional<Actor>> actor;
    private final String requestIdHeader;
    private final BiConsumer<HttpServletRequest, AuditEvent.Builder> customizer;
    private final AtomicLong recordFailures = new AtomicLong();

    private AuditFilter(Builder b) {
        this.log = b.log;
        this.includes = List.copyOf(b.includes);
        this.excludes = List.copyOf(b.excludes);
        this.clients = new ClientAddress(b.trusted);
        this.guard = b.guard;
        this.deniedStatus = b.deniedStatus;
        this.action = b.action;
        this.category = b.category;
        this.actor = b.actor;
        this.requestIdHeader = b.requestIdHeader;
        this.customizer = b.customizer;
    }

    /** A builder for a filter that records on {@code log}. */
    public static Builder builder(AuditLog log) {
        return new Builder(Objects.requireNonNull(log, "log"));
    }

    /** How many outcome records could not be recorded since the filter was built. */
    public long recordFailures() {
        return recordFailures.get();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)
                || !audited(path(request))) {
            chain.doFilter(req, res);
            return;
        }
        AuditEvent intent = intent(request);
        AuditEvent.Builder outcome = intent.toBuilder();
        if (guard) {
            GuardDecision d = log.guard(intent);
            if (!d.allowed()) {
                deny(response);
                return;
            }
            outcome.newEventId().correlationId(d.correlationId())
                    .attribute("guard.decision.sequence", d.sequence().getAsLong());
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            record(outcome.outcome(Outcome.failure("exception")).attribute("exception.class", e.getClass().getName()));
            throw e;
        }
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new Completion(outcome, response));
        } else {
            record(withStatus(outcome, response.getStatus()));
        }
    }

    private boolean audited(String path) {
        return includes.stream().anyMatch(p -> p.matches(path)) && excludes.stream().noneMatch(p -> p.matches(path));
    }

    private static String path(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    private AuditEvent intent(HttpServletRequest request) {
        ClientAddress.Resolved c = clients.resolve(request.getRemoteAddr(),
                request.getHeaders(ClientAddress.X_FORWARDED_FOR));
        Origin.Builder origin = Origin.builder().channel(Channel.API);
        if (c.client() != null) {
            origin.ip(IpRange.format(c.client()));
        }
        String ua = fit(request.getHeader("User-Agent"), MAX_USER_AGENT);
        if (ua != null) {
            origin.userAgent(ua);
        }
        AuditEvent.Builder b = AuditEvent.builder()
                .action(action)
                .category(category)
                .actor(actor.apply(request).orElseGet(() -> Actor.user(ANONYMOUS)))
                .target(Target.of(TARGET_TYPE, fit(path(request), MAX_PATH)))
                .origin(origin.build())
                .outcome(Outcome.of(OutcomeStatus.PENDING)) // replaced by the outcome once the application ran
                .attribute("http.method", fit(request.getMethod(), 32));
        if (c.client() != null && c.client() != c.peer()) {
            b.attribute("http.peer_ip", IpRange.format(c.peer()));
        }
        if (c.forwardedInvalid()) {
            b.attribute("http.x_forwarded_for.invalid", true);
        }
        traceParent(request).ifPresent(t -> b.traceId(t.traceId()).spanId(t.parentId()));
        if (requestIdHeader != null) {
            String id = fit(request.getHeader(requestIdHeader), MAX_REQUEST_ID);
            if (id != null) {
                b.requestId(id);
            }
        }
        customizer.accept(request, b);
        return b.build();
    }

    /** A request carrying more than one {@code traceparent} is malformed (W3C: it must be ignored). */
    private static Optional<TraceParent> traceParent(HttpServletRequest request) {
        var values = request.getHeaders(TRACEPARENT);
        if (values == null || !values.hasMoreElements()) {
            return Optional.empty();
        }
        String first = values.nextElement();
        return values.hasMoreElements() ? Optional.empty() : TraceParent.parse(first);
    }

    private void deny(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            throw new IllegalStateException("the response was committed before the audit filter ran");
        }
        response.reset();
        response.setStatus(deniedStatus);
        response.setContentType("text/plain;charset=UTF-8");
        byte[] body = (switch (deniedStatus) {
            case 423 -> "Locked";
            case 429 -> "Too Many Requests";
            default -> "Forbidden";
        } + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static AuditEvent.Builder withStatus(AuditEvent.Builder b, int status) {
        b.attribute("http.status", status);
        if (status < 400) {
            return b.outcome(Outcome.success());
        }
        if (status == 401 || status == 403) {
            return b.outcome(Outcome.denied("http_" + status));
        }
        return b.outcome(Outcome.failure("http_" + status));
    }

    private void record(AuditEvent.Builder b) {
        try {
            log.record(b.build());
        } catch (RuntimeException e) {
            recordFailures.incrementAndGet();
            LOG.error("audit log {}: the outcome of an audited request could not be recorded ({})", log.logId(),
                    e.toString());
        }
    }

    /** Cut to {@code max} characters without splitting a surrogate pair; null or empty stays absent. */
    static String fit(String s, int max) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (out.length() + 2 > max) {
                    break;
                }
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /** Records an asynchronous request once, when it completes, errs or times out. */
    private final class Completion implements AsyncListener {
        private final AuditEvent.Builder outcome;
        private final HttpServletResponse response;
        private final AtomicBoolean done = new AtomicBoolean();

        Completion(AuditEvent.Builder outcome, HttpServletResponse response) {
            this.outcome = outcome;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            if (done.compareAndSet(false, true)) {
                record(withStatus(outcome, response.getStatus()));
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (done.compareAndSet(false, true)) {
                record(outcome.outcome(Outcome.failure("timeout")));
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (done.compareAndSet(false, true)) {
                Throwable t = event.getThrowable();
                record(outcome.outcome(Outcome.failure("exception"))
                        .attribute("exception.class", t == null ? "unknown" : t.getClass().getName()));
            }
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // a re-dispatch starts async again: stay registered
        }
    }

    /**
     * Configures an {@link AuditFilter}. Every setter checks its argument at once, and {@link #build()} the whole;
     * a message names the setting, the rule and the value.
     */
    public static final class Builder {
        private final AuditLog log;
        private final List<PathPattern> includes = new ArrayList<>();
        private final List<PathPattern> excludes = new ArrayList<>();
        private final List<IpRange> trusted = new ArrayList<>();
        private boolean guard;
        private int deniedStatus = 403;
        private String action = DEFAULT_ACTION;
        private Category category = Category.DATA_ACCESS;
        private Function<HttpServletRequest, Optional<Actor>> actor = Builder::principal;
        private String requestIdHeader;
        private BiConsumer<HttpServletRequest, AuditEvent.Builder> customizer = (r, b) -> { };

        private Builder(AuditLog log) {
            this.log = log;
        }

        private static Optional<Actor> principal(HttpServletRequest request) {
            Principal p = request.getUserPrincipal();
            String name = p == null ? null : fit(p.getName(), MAX_REQUEST_ID);
            return name == null ? Optional.empty() : Optional.of(Actor.user(name));
        }

        /**
         * Paths to record: Servlet URL patterns ({@code /exact}, {@code /prefix/*}, {@code /*},
         * {@code *.extension}) matched against the path within the application. At least one is required.
         */
        public Builder include(String... patterns) {
            add(includes, "include", patterns);
            return this;
        }

        /** Paths not to record although included, such as a health check; same syntax as {@link #include}. */
        public Builder exclude(String... patterns) {
            add(excludes, "exclude", patterns);
            return this;
        }

        private static void add(List<PathPattern> to, String field, String... patterns) {
            Objects.requireNonNull(patterns, field);
            for (String p : patterns) {
                to.add(PathPattern.parse(field, p));
            }
        }

        /**
         * The proxies whose {@code X-Forwarded-For} is believed: IPv4 or IPv6 addresses or CIDR ranges
         * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). Default none: the client is always the socket peer.
         */
        public Builder trustedProxies(String... cidrs) {
            Objects.requireNonNull(cidrs, "trustedProxies");
            for (String c : cidrs) {
                trusted.add(IpRange.parse("trustedProxies", c));
            }
            return this;
        }

        /** {@link #trustedProxies(String...)} from a collection, such as a configuration list. */
        public Builder trustedProxies(Collection<String> cidrs) {
            return trustedProxies(Objects.requireNonNull(cidrs, "trustedProxies").toArray(String[]::new));
        }

        /**
         * Whether to ask the log's guard ({@link AuditLog#guard}) before the application runs, and answer a DENY
         * with {@link #deniedStatus}. The decision is recorded durably before the request goes on, so each guarded
         * request costs a synchronous write. Default off.
         */
        public Builder guard(boolean guard) {
            this.guard = guard;
            return this;
        }

        /** The status of a denied request: 403 (default), 423 (Locked) or 429 (Too Many Requests). */
        public Builder deniedStatus(int status) {
            if (!DENIED_STATUSES.contains(status)) {
                throw new IllegalArgumentException("deniedStatus must be 403, 423 or 429, was " + status);
            }
            this.deniedStatus = status;
            return this;
        }

        /** The action recorded; must match {@value AuditEvent#ACTION_REGEX}. Default {@value #DEFAULT_ACTION}. */
        public Builder action(String action) {
            Objects.requireNonNull(action, "action");
            if (!ACTION.matcher(action).matches() || action.length() > 128) {
                throw new IllegalArgumentException("action must match " + AuditEvent.ACTION_REGEX
                        + " and be at most 128 characters, was \"" + action.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
            this.action = action;
            return this;
        }

        /** The category recorded. Default {@link Category#DATA_ACCESS}. */
        public Builder category(Category category) {
            this.category = Objects.requireNonNull(category, "category");
            return this;
        }

        /**
         * Who made the request; empty for the anonymous actor. Default: the user principal's name as a USER.
         * Called on the request's thread before the application runs.
         */
        public Builder actor(Function<HttpServletRequest, Optional<Actor>> actor) {
            this.actor = Objects.requireNonNull(actor, "actor");
            return this;
        }

        /** A request header whose value, when present, is the record's request id (such as {@code X-Request-Id}). */
        public Builder requestIdHeader(String header) {
            Objects.requireNonNull(header, "requestIdHeader");
            if (header.isEmpty() || !header.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("requestIdHeader must be an HTTP header name (RFC 9110 token),"
                        + " was \"" + header.replaceAll("\\p{Cntrl}", "?") + "\"");
            }
            this.requestIdHeader = header;
            return this;
        }

        /**
         * Adds to each event before it is built, such as a target for the business object or a tenant id. Runs on
         * the request's thread before the application; an exception it throws fails the request.
         */
        public Builder customize(BiConsumer<HttpServletRequest, AuditEvent.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customize");
            return this;
        }

        /**
         * Builds the filter.
         *
         * @throws IllegalStateException when no path is included
         */
        public AuditFilter build() {
            if (includes.isEmpty()) {
                throw new IllegalStateException("include(...) needs at least one path pattern, such as /* or /api/*:"
                        + " the filter records only the paths it is told to");
            }
            return new AuditFilter(this);
        }
    }
}
