package dev.auditlog.servlet;

import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.MemorySink;
import dev.auditlog.Actor;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.protect.AlertResponse;
import dev.auditlog.protect.GuardRules;
import dev.auditlog.protect.Protection;
import dev.auditlog.protect.Rules;
import dev.auditlog.spi.SealedRecord;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The filter on an embedded Jetty 12 (Servlet 6, ee10) without any framework, driven over HTTP by the JDK client.
 * One server for the class: each test uses its own user so that its records are its own.
 */
class AuditFilterJettyTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static final MemorySink SINK = new MemorySink();
    private static final SigningKey KEY = Ed25519Keys.generate("servlet-test");
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static AuditLog log;
    private static AuditFilter guarded;
    private static Server server;
    private static URI base;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Protection protection = Protection.builder()
                .rule(Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(3)
                        .within(Duration.ofMinutes(1)).severity(Severity.ERROR)
                        .respond(AlertResponse.lockKey(Duration.ofMinutes(15))).build())
                .guardRule(GuardRules.lockedOut())
                .build();
        log = AuditLog.builder().singleChain().logId("web").sink(SINK).shutdownHook(false).checkpoints(KEY).intercept(protection)
                .build();
        guarded = AuditFilter.builder(log)
                .include("/api/*", "/login")
                .exclude("/api/health")
                .trustedProxies("127.0.0.1", "10.0.0.0/8")
                .guard(true).deniedStatus(423)
                .requestIdHeader("X-Request-Id")
                .build();
        AuditFilter direct = AuditFilter.builder(log).include("/direct/*").build(); // trusts no proxy

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        addFilter(context, new HeaderAuthentication(), "/*");
        addFilter(context, guarded, "/*");
        addFilter(context, direct, "/direct/*");
        ServletHolder app = new ServletHolder(new App());
        app.setAsyncSupported(true);
        context.addServlet(app, "/");
        server.setHandler(context);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private static void addFilter(ServletContextHandler context, Filter filter, String mapping) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, mapping, EnumSet.of(DispatcherType.REQUEST));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        log.close();
        // Everything the filter recorded, and the guard's decisions, verify with the public key.
        assertThat(LogVerifier.builder(KEY.verifierKey()).build().verify(SINK.reader().orElseThrow(), "web")
                .findings()).isEmpty();
    }

    /** Stands in for the application's authentication: the principal is the X-User header. */
    static final class HeaderAuthentication implements Filter {
        @Override
        public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res,
                             jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
            HttpServletRequest http = (HttpServletRequest) req;
            String user = http.getHeader("X-User");
            chain.doFilter(user == null ? req : new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }
            }, res);
        }
    }

    /** The application: counts the calls per user, so a test sees whether it ran. */
    static final class App extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String user = Optional.ofNullable(req.getHeader("X-User")).orElse("-");
            CALLS.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
            String path = req.getServletPath() + Optional.ofNullable(req.getPathInfo()).orElse("");
            switch (path) {
                case "/login" -> {
                    // The application checks the password and records the failure, as it would anyway.
                    log.record(AuditEvent.builder().action(AuditActions.AUTHN_LOGIN_FAIL)
                            .category(Category.AUTHENTICATION).actor(Actor.user(user))
                            .outcome(Outcome.failure("bad_password")).build());
                    resp.sendError(401);
                }
                case "/api/forbidden" -> resp.sendError(403);
                case "/api/boom" -> throw new IllegalStateException("boom with a secret: hunter2");
                case "/api/async" -> {
                    AsyncContext async = req.startAsync();
                    async.start(() -> {
                        ((HttpServletResponse) async.getResponse()).setStatus(202);
                        async.complete();
                    });
                }
                default -> resp.getWriter().write("hello " + user);
            }
        }
    }

    private static HttpResponse<String> get(String path, String user, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (user != null) {
            b.header("X-User", user);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The records of {@code user}'s requests (the filter's and the guard's), in order. */
    private static List<AuditEvent> requests(String user) {
        log.flush();
        return SINK.records("web").stream().map(SealedRecord::event).flatMap(Optional::stream)
                .filter(e -> e.action().equals(AuditFilter.DEFAULT_ACTION) && e.actor().id().equals(user)).toList();
    }

    private static int calls(String user) {
        return CALLS.getOrDefault(user, new AtomicInteger()).get();
    }

    @Test
    void anIncludedRequestIsRecordedWithPrincipalClientUserAgentTraceAndStatus() throws Exception {
        HttpResponse<String> r = get("/api/orders/42", "alice", "User-Agent", "curl/8.5", "traceparent", TRACEPARENT,
                "X-Request-Id", "req-77");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello alice");

        List<AuditEvent> events = requests("alice");
        assertThat(events).hasSize(2); // the guard's decision (PENDING), then the outcome
        AuditEvent decision = events.get(0);
        AuditEvent outcome = events.get(1);
        assertThat(decision.outcome().status()).isEqualTo(OutcomeStatus.PENDING);
        assertThat(decision.attributes()).containsEntry("guard.decision", "ALLOW");
        assertThat(outcome.correlationId()).isEqualTo(decision.correlationId()).isPresent();
        assertThat(outcome.outcome().status()).isEqualTo(OutcomeStatus.SUCCESS);
        assertThat(outcome.category()).isEqualTo(Category.DATA_ACCESS);
        assertThat(outcome.targets()).singleElement().satisfies(t -> {
            assertThat(t.type()).isEqualTo("http.path");
            assertThat(t.id()).isEqualTo("/api/orders/42");
        });
        assertThat(outcome.origin().orElseThrow().ip()).contains("127.0.0.1");
        assertThat(outcome.origin().orElseThrow().userAgent()).contains("curl/8.5");
        assertThat(outcome.traceId()).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(outcome.spanId()).contains("00f067aa0ba902b7");
        assertThat(outcome.requestId()).contains("req-77");
        assertThat(outcome.attributes()).containsEntry("http.method", "GET").containsEntry("http.status", 200L)
                .doesNotContainKey("http.peer_ip");
    }

    @Test
    void excludedAndNotIncludedPathsAreNotRecorded() throws Exception {
        assertThat(get("/api/health", "carol").statusCode()).isEqualTo(200);
        assertThat(get("/elsewhere", "carol").statusCode()).isEqualTo(200);
        assertThat(calls("carol")).isEqualTo(2);
        assertThat(requests("carol")).isEmpty();
    }

    @Test
    void aMalformedTraceparentIsIgnored() throws Exception {
        get("/api/x", "dave", "traceparent", TRACEPARENT.toUpperCase());
        get("/api/x", "dave", "traceparent", TRACEPARENT, "traceparent", TRACEPARENT); // two: invalid too
        assertThat(requests("dave")).hasSize(4).allSatisfy(e -> {
            assertThat(e.traceId()).isEmpty();
            assertThat(e.spanId()).isEmpty();
        });
    }

    @Test
    void xForwardedForIsBelievedOnlyFromTrustedProxies() throws Exception {
        // The peer (127.0.0.1) is a trusted proxy here: the forged first entry is skipped, 10/8 is trusted too.
        get("/api/x", "erin", "X-Forwarded-For", "192.0.2.66, 203.0.113.9, 10.1.2.3");
        AuditEvent viaProxy = requests("erin").get(1);
        assertThat(viaProxy.origin().orElseThrow().ip()).contains("203.0.113.9");
        assertThat(viaProxy.attributes()).containsEntry("http.peer_ip", "127.0.0.1");

        // The same header at a filter that trusts no proxy: the socket peer.
        get("/direct/x", "erin", "X-Forwarded-For", "203.0.113.9");
        AuditEvent direct = requests("erin").get(2);
        assertThat(direct.origin().orElseThrow().ip()).contains("127.0.0.1");
        assertThat(direct.attributes()).doesNotContainKey("http.peer_ip");

        get("/api/x", "erin", "X-Forwarded-For", "203.0.113.9, not-an-ip");
        AuditEvent invalid = requests("erin").get(4);
        assertThat(invalid.origin().orElseThrow().ip()).contains("127.0.0.1");
        assertThat(invalid.attributes()).containsEntry("http.x_forwarded_for.invalid", true);
    }

    @Test
    void statusesAndExceptionsBecomeOutcomes() throws Exception {
        assertThat(get("/api/forbidden", "frank").statusCode()).isEqualTo(403);
        assertThat(get("/api/boom", "frank").statusCode()).isEqualTo(500);
        assertThat(get("/api/missing-user-is-fine", null).statusCode()).isEqualTo(200);
        List<AuditEvent> events = requests("frank");
        assertThat(events.get(1).outcome()).isEqualTo(Outcome.denied("http_403"));
        assertThat(events.get(3).outcome()).isEqualTo(Outcome.failure("exception"));
        assertThat(events.get(3).attributes()).containsEntry("exception.class", "java.lang.IllegalStateException");
        assertThat(events.get(3).toString()).doesNotContain("hunter2");
        assertThat(requests(AuditFilter.ANONYMOUS)).isNotEmpty();
    }

    @Test
    void anAsynchronousRequestIsRecordedWhenItCompletes() throws Exception {
        assertThat(get("/api/async", "gina").statusCode()).isEqualTo(202);
        // The outcome is recorded by the async listener, possibly just after the response was sent.
        List<AuditEvent> events = requests("gina");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            events = requests("gina");
        }
        assertThat(events).hasSize(2);
        assertThat(events.get(1).attributes()).containsEntry("http.status", 202L);
        assertThat(events.get(1).outcome().status()).isEqualTo(OutcomeStatus.SUCCESS);
    }

    @Test
    void aLockedOutActorIsAnsweredWithTheConfiguredStatusBeforeTheApplicationRuns() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/login", "mallory").statusCode()).isEqualTo(401);
        }
        log.flush(); // the threshold rule sees the three failures and locks actor:mallory
        int before = calls("mallory");

        HttpResponse<String> denied = get("/api/orders", "mallory");
        assertThat(denied.statusCode()).isEqualTo(423);
        assertThat(denied.body()).isEqualTo("Locked\n");
        assertThat(calls("mallory")).as("the application did not run").isEqualTo(before);
        AuditEvent decision = requests("mallory").get(requests("mallory").size() - 1);
        assertThat(decision.outcome().status()).isEqualTo(OutcomeStatus.DENIED);
        assertThat(decision.outcome().reasonCode()).contains("locked-out");
        assertThat(decision.attributes()).containsEntry("guard.decision", "DENY");

        assertThat(get("/api/orders", "nina").statusCode()).as("another actor").isEqualTo(200);
    }

    @Test
    void theBuilderChecksEverySettingEagerly() {
        assertThatThrownBy(() -> AuditFilter.builder(log).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("include(...)");
        assertThatThrownBy(() -> AuditFilter.builder(log).include("api/*"))
                .hasMessageContaining("include must be a Servlet URL pattern").hasMessageContaining("\"api/*\"");
        assertThatThrownBy(() -> AuditFilter.builder(log).include("/a/*/b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditFilter.builder(log).trustedProxies("10.0.0.0/33"))
                .hasMessageContaining("trustedProxies prefix length");
        assertThatThrownBy(() -> AuditFilter.builder(log).deniedStatus(500))
                .hasMessage("deniedStatus must be 403, 423 or 429, was 500");
        assertThatThrownBy(() -> AuditFilter.builder(log).action("Http Request"))
                .hasMessageContaining("action must match");
        assertThatThrownBy(() -> AuditFilter.builder(log).requestIdHeader("X Request"))
                .hasMessageContaining("requestIdHeader must be an HTTP header name");
        assertThat(PathPattern.parse("p", "*.do").matches("/a/b.do")).isTrue();
        assertThat(PathPattern.parse("p", "/api/*").matches("/api")).isTrue();
        assertThat(PathPattern.parse("p", "/api/*").matches("/apiary")).isFalse();
        assertThat(PathPattern.parse("p", "/*").matches("/anything/at/all")).isTrue();
    }
}
