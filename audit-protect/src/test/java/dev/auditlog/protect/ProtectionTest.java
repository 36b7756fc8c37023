package dev.auditlog.protect;

import dev.auditlog.tck.FailingSink;
import dev.auditlog.tck.FakeTicker;
import dev.auditlog.tck.MutableClock;

import com.sun.net.httpserver.HttpServer;
import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Category;
import dev.auditlog.MemorySink;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.GuardDecision;
import dev.auditlog.GuardDeniedException;
import dev.auditlog.GuardVerdict;
import dev.auditlog.Redaction;
import dev.auditlog.SecretKeyAction;
import dev.auditlog.Sensitive;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redaction, recording policy, detection rules, alerts and the guard, through the whole pipeline. */
class ProtectionTest {
    private static final Duration FAST = Duration.ofMillis(1);
    private static final String SECRET = "hunter2-TOPSECRET";
    private static final String EMAIL = "alice.smith@example.com";


    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private AuditLog.Builder builder(String logId) {
        return AuditLog.builder().singleChain().logId(logId).shutdownHook(false).retry(3, FAST, Duration.ofMillis(2)).clock(clock);
    }

    private static List<AuditEvent> events(MemorySink sink, String logId) {
        return sink.records(logId).stream().map(r -> r.event().orElseThrow()).toList();
    }

    private static List<String> actions(MemorySink sink, String logId) {
        return events(sink, logId).stream().map(AuditEvent::action).toList();
    }

    private static String allBytes(MemorySink sink, String logId) {
        StringBuilder b = new StringBuilder();
        for (SealedRecord r : sink.records(logId)) {
            b.append(r.lineText()).append('\n');
        }
        return b.toString();
    }

    private static boolean verify(String logId, MemorySink sink) {
        ChainVerifier v = ChainVerifier.fromGenesis(logId);
        sink.records(logId).forEach(v::accept);
        return v.finish().isValid();
    }

    private static AuditEvent loginFail(String user) {
        return AuditEvent.builder().action(AuditActions.AUTHN_LOGIN_FAIL).category(Category.AUTHENTICATION)
                .actor(Actor.user(user)).outcome(Outcome.failure("bad_password"))
                .origin(Origin.builder().ip("203.0.113.7").build()).build();
    }

    private static AuditEvent login(String user) {
        return AuditEvent.builder().action("authn_login").category(Category.AUTHENTICATION)
                .actor(Actor.user(user)).outcome(Outcome.success())
                .origin(Origin.builder().ip("203.0.113.7").build()).build();
    }

    private HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", handler);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-webhook-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    private URI hookUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    // ------------------------------------------------------------------ redaction on every path

    @Test
    void secretsAndPiiNeverReachSinksAlertsListenersWebhooksOrMessages() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        server(exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        WebhookAlertListener webhook = WebhookAlertListener.builder(hookUri()).timeout(Duration.ofSeconds(5))
                .backoff(Duration.ZERO).build();
        List<Alert> heard = new CopyOnWriteArrayList<>();
        List<String> seenByRule = new CopyOnWriteArrayList<>();
        DetectionRule echo = new DetectionRule() {
            @Override
            public String id() {
                return "echo";
            }

            @Override
            public List<Alert> evaluate(ObservedEvent o) {
                seenByRule.add(o.event().toString());
                return List.of(Alert.builder().ruleId("echo").key("actor:" + o.event().actor().id())
                        .sequence(o.sequence()).summary("saw " + o.event().attributes()).firedAt(o.occurredAt())
                        .build());
            }
        };
        MemorySink sink = new MemorySink();
        try (AuditLog log = builder("redact").sink(sink)
                .redaction(Redaction.builder().secretKeys(SecretKeyAction.REDACT).build())
                .intercept(Protection.builder().rule(echo).alertListener((a, ctx) -> heard.add(a))
                        .alertListener(webhook).build()).build()) {
            AuditReceipt r = log.record(AuditEvent.builder().action("user.update").actor(Actor.user("alice"))
                    .outcome(Outcome.success()).attribute("password", SECRET)
                    .attribute("email", Sensitive.pii(EMAIL)).build());
            r.await();
            log.flush();
        }
        String stored = allBytes(sink, "redact");
        assertThat(stored).doesNotContain(SECRET).doesNotContain(EMAIL).contains("[REDACTED]")
                .contains("\"redacted\":[\"email\",\"password\"]");
        assertThat(actions(sink, "redact")).contains("audit.alert");
        assertThat(heard).singleElement().satisfies(a -> assertThat(a.toString()).doesNotContain(SECRET)
                .doesNotContain(EMAIL));
        assertThat(seenByRule).singleElement().satisfies(s -> assertThat(s).doesNotContain(SECRET)
                .doesNotContain(EMAIL));
        assertThat(bodies).singleElement().satisfies(b -> assertThat(b).doesNotContain(SECRET).doesNotContain(EMAIL)
                .contains("\"rule\":\"echo\""));
        assertThat(webhook.delivered()).isEqualTo(1);

        // REJECT, chosen explicitly: the exception names the attribute, never the value, and nothing is recorded
        MemorySink strict = new MemorySink();
        try (AuditLog log = builder("reject").sink(strict)
                .redaction(Redaction.builder().secretKeys(SecretKeyAction.REJECT).build()).build()) {
            assertThatThrownBy(() -> log.record(AuditEvent.builder().action("user.update").actor(Actor.user("a"))
                    .outcome(Outcome.success()).attribute("api_key", SECRET).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api_key")
                    .hasMessageNotContaining(SECRET);
            assertThatThrownBy(() -> log.guard(AuditEvent.builder().action("user.update").actor(Actor.user("a"))
                    .outcome(Outcome.success()).attribute("token", SECRET).build()))
                    .hasMessageNotContaining(SECRET);
        }
        assertThat(allBytes(strict, "reject")).doesNotContain(SECRET);
        assertThat(actions(strict, "reject")).containsExactly("audit.log.started", "audit.log.stopped");
    }

    // ------------------------------------------------------------------ recording policy

    @Test
    void policyDropsSamplesAndReducesAndSummarisesAndRuntimeChangesAreRecorded() {
        MemorySink sink = new MemorySink();
        RecordingPolicy policy = RecordingPolicy.builder()
                .rule(PolicyRule.builder("health").action("health.*").level(RecordingLevel.NONE).build())
                .rule(PolicyRule.builder("reads").action("document.read").sampleOneIn(3).build())
                .rule(PolicyRule.builder("writes").action("document.write").level(RecordingLevel.METADATA).build())
                .rule(PolicyRule.builder("quiet").action("*").level(RecordingLevel.NONE).build())
                .summaryInterval(Duration.ofSeconds(10))
                .build();
        Protection protection = Protection.builder().policy(policy).build();
        try (AuditLog log = builder("policy").sink(sink).intercept(protection).build()) {
            AuditReceipt skipped = log.record(AuditEvent.builder().action("health.ping").actor(Actor.system("lb"))
                    .outcome(Outcome.success()).build());
            assertThat(skipped.isSkipped()).isTrue();
            assertThat(skipped.isDropped()).isFalse(); // dropped is for a full queue only
            skipped.await(); // completes normally: skipping is not a failure
            assertThatThrownBy(skipped::sequence).hasMessageContaining("recording policy");
            for (int i = 0; i < 6; i++) {
                log.record(AuditEvent.builder().action("document.read").actor(Actor.user("u"))
                        .outcome(Outcome.success()).attribute("i", i).build());
            }
            log.record(AuditEvent.builder().action("document.write").actor(Actor.user("u"))
                    .outcome(Outcome.success()).message("details").attribute("size", 5).build());
            // mandatory: recorded even though "quiet" matches
            log.record(loginFail("bob"));
            log.flush(); // the dispatcher is idle: the next skipped event is what finds the summary due
            clock.advance(Duration.ofSeconds(10));
            log.record(AuditEvent.builder().action("health.ping").actor(Actor.system("lb"))
                    .outcome(Outcome.success()).build()); // triggers the periodic summary
            protection.setPolicy(RecordingPolicy.recordEverything());
            assertThat(protection.policy().recordsEverything()).isTrue();
            log.record(AuditEvent.builder().action("health.ping").actor(Actor.system("lb"))
                    .outcome(Outcome.success()).build());
            log.flush();
        }
        List<AuditEvent> ev = events(sink, "policy");
        assertThat(ev.stream().map(AuditEvent::action).toList()).containsExactly("audit.log.started",
                "document.read", "document.read", "document.write", AuditActions.AUTHN_LOGIN_FAIL,
                "audit.policy.sampled", "audit.config.changed", "health.ping", "audit.log.stopped");
        assertThat(ev.get(1).attributes()).containsEntry("i", 0L);
        assertThat(ev.get(2).attributes()).containsEntry("i", 3L);
        assertThat(ev.get(3).attributes()).isEmpty();
        assertThat(ev.get(3).message()).isEmpty();
        AuditEvent summary = ev.get(5);
        assertThat(summary.attributes()).containsEntry("skipped", java.util.Map.of("health", 2L, "reads", 4L))
                .containsEntry("skipped.total", 6L);
        AuditEvent changed = ev.get(6);
        assertThat(changed.category()).isEqualTo(Category.CONFIGURATION);
        assertThat((String) changed.attributes().get("before")).contains("health(action=health.* -> NONE)");
        assertThat(changed.attributes()).containsEntry("after", "record everything");
        assertThat(verify("policy", sink)).isTrue();
    }

    @Test
    void skipSummariesAreWrittenOnTheirIntervalEvenWhenNothingMoreIsSkipped() {
        MemorySink sink = new MemorySink();
        RecordingPolicy policy = RecordingPolicy.builder()
                .rule(PolicyRule.builder("health").action("health.*").level(RecordingLevel.NONE).build())
                .summaryInterval(Duration.ofSeconds(1))
                .build();
        FakeTicker ticker = new FakeTicker();
        try (AuditLog log = builder("timer").sink(sink).ticker(ticker)
                .intercept(Protection.builder().policy(policy).build()).build()) {
            log.record(AuditEvent.builder().action("health.ping").actor(Actor.system("lb"))
                    .outcome(Outcome.success()).build());
            ticker.advance(Duration.ofMillis(999)); // the ticker alone drives the timer; the clock stands still
            log.flush();
            assertThat(events(sink, "timer")).noneMatch(e -> e.action().equals("audit.policy.sampled"));
            ticker.advance(Duration.ofMillis(1)); // no further record(): only the log's own timer can write it
            log.flush(); // runs the timers that are due, then waits for what they recorded
            assertThat(events(sink, "timer")).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("audit.policy.sampled");
                assertThat(e.attributes()).containsEntry("skipped", java.util.Map.of("health", 1L));
            });
            assertThat(log.metrics().skipped()).isEqualTo(1);
        }
    }

    @Test
    void failedLoginBurstAlertsLocksOutAndTheGuardDenies() {
        MemorySink sink = new MemorySink();
        List<Alert> heard = new CopyOnWriteArrayList<>();
        try (AuditLog log = builder("burst").sink(sink).intercept(Protection.builder()
                .rule(Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(5)
                        .within(Duration.ofSeconds(60)).severity(Severity.ERROR)
                        .respond(AlertResponse.lockKey(Duration.ofMinutes(15))).build())
                .alertListener((a, ctx) -> heard.add(a))
                .guardRule(GuardRules.lockedOut())
                .build()).build()) {
            assertThat(log.guard(login("alice")).allowed()).isTrue();
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(10));
                log.record(loginFail("alice"));
            }
            log.flush();
            assertThat(heard).singleElement().satisfies(a -> assertThat(a.sequences()).hasSize(5));
            GuardDecision denied = log.guard(login("alice"));
            assertThat(denied.verdict()).isEqualTo(GuardVerdict.DENY);
            assertThat(denied.ruleId()).contains("locked-out");
            assertThat(denied.reason().orElseThrow()).contains("actor:alice is locked out until 2026-03-02T10:15:50Z");
            assertThat(denied.sequence()).isPresent();
            assertThat(log.guard(login("bob")).allowed()).isTrue();
            clock.advance(Duration.ofMinutes(15));
            assertThat(log.guard(login("alice")).allowed()).isTrue(); // the lock expired exactly now
        }
        List<AuditEvent> ev = events(sink, "burst");
        assertThat(ev.stream().map(AuditEvent::action).toList()).containsSubsequence(AuditActions.AUTHN_LOGIN_FAIL,
                "audit.alert", "audit.guard.locked", "authn_login", "authn_login", "authn_login");
        AuditEvent alert = ev.stream().filter(e -> e.action().equals("audit.alert")).findFirst().orElseThrow();
        assertThat(alert.attributes()).containsEntry("alert.rule", "login-burst")
                .containsEntry("alert.key", "actor:alice")
                .containsEntry("alert.sequences", List.of(2L, 3L, 4L, 5L, 6L));
        assertThat(alert.severity()).isEqualTo(Severity.ERROR);
        AuditEvent deniedRecord = ev.stream().filter(e -> e.outcome().status() == OutcomeStatus.DENIED)
                .findFirst().orElseThrow();
        assertThat(deniedRecord.outcome().reasonCode()).contains("locked-out");
        assertThat(deniedRecord.attributes()).containsEntry("guard.decision", "DENY");
        assertThat(verify("burst", sink)).isTrue();
    }

    // ------------------------------------------------------------------ guard

    @Test
    void guardFailsClosedWhenTheDecisionCannotBeRecorded() {
        FailingSink failing = FailingSink.always(new MemorySink());
        try (AuditLog log = builder("closed").sink(failing).build()) {
            GuardDecision d = log.guard(login("alice"));
            assertThat(d.allowed()).isFalse();
            assertThat(d.ruleId()).contains(GuardDecision.UNRECORDED);
            assertThat(d.sequence()).isEmpty();
            AtomicInteger ran = new AtomicInteger();
            assertThatThrownBy(() -> log.guarded(login("alice"), ran::incrementAndGet))
                    .isInstanceOf(GuardDeniedException.class).hasMessageContaining(GuardDecision.UNRECORDED);
            assertThat(ran).hasValue(0);
            failing.heal();
        } catch (RuntimeException closeFailure) {
            // records failed while the sink was down: close may report them; that is the point of the test
        }
    }

    @Test
    void guardedRecordsIntentAndOutcomeLinkedByCorrelationIdWithoutExceptionMessages() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = builder("guarded").sink(sink).build()) {
            String result = log.guarded(AuditEvent.builder().action("report.run").actor(Actor.user("ann"))
                    .outcome(Outcome.success()).build(), () -> "done");
            assertThat(result).isEqualTo("done");
            assertThatThrownBy(() -> log.guarded(AuditEvent.builder().action("report.run").actor(Actor.user("ann"))
                    .outcome(Outcome.success()).correlationId("corr-2").build(), () -> {
                        throw new IOException("disk full at /secret/" + SECRET);
                    })).isInstanceOf(IOException.class);
            log.flush();
        }
        List<AuditEvent> ev = events(sink, "guarded").stream().filter(e -> e.action().equals("report.run")).toList();
        assertThat(ev).hasSize(4);
        assertThat(ev.get(0).outcome().status()).isEqualTo(OutcomeStatus.PENDING);
        assertThat(ev.get(1).outcome().status()).isEqualTo(OutcomeStatus.SUCCESS);
        assertThat(ev.get(1).correlationId()).isEqualTo(ev.get(0).correlationId()).isPresent();
        assertThat(ev.get(3).outcome().status()).isEqualTo(OutcomeStatus.FAILURE);
        assertThat(ev.get(3).correlationId()).contains("corr-2");
        assertThat(ev.get(3).attributes()).containsEntry("exception.class", "java.io.IOException");
        assertThat(allBytes(sink, "guarded")).doesNotContain(SECRET).doesNotContain("disk full");
    }

    @Test
    void restrictedTargetsOutsideTheChangeWindowAndBulkExportsAreDenied() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = builder("prevent").sink(sink).intercept(Protection.builder()
                .guardRule(GuardRules.restrictedTargets("prod-db").targetType("database").targetId("prod-*")
                        .approvedActors("dba-*").changeWindow(ZoneId.of("UTC"), LocalTime.of(9, 0),
                                LocalTime.of(11, 0), DayOfWeek.MONDAY).build())
                .guardRule(GuardRules.bulkExport("bulk").action("data.export").limit(1000, Duration.ofHours(1))
                        .build())
                .build()).build()) {
            AuditEvent alter = AuditEvent.builder().action("db.alter").actor(Actor.user("dba-ann"))
                    .outcome(Outcome.success()).target("database", "prod-eu").build();
            assertThat(log.guard(alter).allowed()).isTrue(); // Monday 10:00
            assertThat(log.guard(alter.toBuilder().actor(Actor.user("mallory")).build()).reason().orElseThrow())
                    .contains("not approved");
            clock.set(Instant.parse("2026-03-02T11:00:00Z"));
            assertThat(log.guard(alter).reason().orElseThrow()).contains("outside the change window");

            AuditEvent export = AuditEvent.builder().action("data.export").actor(Actor.user("eve"))
                    .outcome(Outcome.success()).attribute("rows", 600).build();
            assertThat(log.guard(export).allowed()).isTrue();
            GuardDecision second = log.guard(export);
            assertThat(second.ruleId()).contains("bulk");
            assertThat(second.reason().orElseThrow()).contains("exported 600 rows");
            clock.advance(Duration.ofHours(1)); // the first export leaves the window exactly now
            assertThat(log.guard(export).allowed()).isTrue();
        }
        assertThat(events(sink, "prevent").stream().filter(e -> e.outcome().status() == OutcomeStatus.DENIED))
                .hasSize(3);
    }

    // ------------------------------------------------------------------ webhook

    private static final AlertContext NO_LOG = new AlertContext() {
        @Override
        public String logId() {
            return "hook";
        }

        @Override
        public void deliveryFailed(Alert alert, String listener, int attempts, String error) {
            FAILURES.add(listener + "|" + attempts + "|" + error);
        }
    };
    private static final List<String> FAILURES = new CopyOnWriteArrayList<>();

    private static Alert alert() {
        return Alert.builder().ruleId("r").key("actor:a").sequence(3).summary("s").firedAt(Instant.EPOCH).build();
    }

    @Test
    void webhookRetriesA500ThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server(ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 500 : 200, -1);
            ex.close();
        });
        WebhookAlertListener w = WebhookAlertListener.builder(hookUri()).backoff(Duration.ZERO).maxAttempts(3).build();
        FAILURES.clear();
        w.onAlert(alert(), NO_LOG);
        w.close();
        assertThat(w.delivered()).isEqualTo(1);
        assertThat(w.attempts()).isEqualTo(2);
        assertThat(w.failures()).isZero();
        assertThat(FAILURES).isEmpty();
    }

    @Test
    void webhookTimeoutIsRetriedThenCountedAsFailed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server(ex -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        WebhookAlertListener w = WebhookAlertListener.builder(hookUri()).timeout(Duration.ofMillis(200))
                .backoff(Duration.ZERO).maxAttempts(2).build();
        FAILURES.clear();
        w.onAlert(alert(), NO_LOG);
        w.close();
        release.countDown();
        assertThat(w.failures()).isEqualTo(1);
        assertThat(w.attempts()).isEqualTo(2);
        assertThat(FAILURES).singleElement().satisfies(f -> assertThat(f).endsWith("|2|timeout"));
    }

    @Test
    void webhookPermanentFailureIsRecordedInTheChain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server(ex -> {
            calls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        WebhookAlertListener w = WebhookAlertListener.builder(hookUri()).backoff(Duration.ZERO).maxAttempts(3).build();
        MemorySink sink = new MemorySink();
        try (AuditLog log = builder("hookfail").sink(sink).intercept(Protection.builder()
                .rule(Rules.privilegeChanges("priv").build()).alertListener(w).build()).build()) {
            log.record(AuditEvent.builder().action(AuditActions.AUTHZ_ADMIN).actor(Actor.user("root"))
                    .outcome(Outcome.success()).target("user", "bob").build());
        } // close drains the rules and the webhook before audit.log.stopped
        assertThat(calls).hasValue(3);
        assertThat(w.failures()).isEqualTo(1);
        AuditEvent failed = events(sink, "hookfail").stream()
                .filter(e -> e.action().equals("audit.alert.delivery_failed")).findFirst().orElseThrow();
        assertThat(failed.attributes()).containsEntry("error", "http_503").containsEntry("attempts", 3L)
                .containsEntry("alert.rule", "priv");
        assertThat(actions(sink, "hookfail")).endsWith("audit.alert.delivery_failed", "audit.log.stopped");
    }
}
