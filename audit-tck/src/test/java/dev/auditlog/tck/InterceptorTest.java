package dev.auditlog.tck;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.GuardDecision;
import dev.auditlog.GuardDeniedException;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.Interception;
import dev.auditlog.spi.InterceptorContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The interceptor SPI through the whole engine: what each decision does, and what no interceptor can lose. */
class InterceptorTest {
    private static final String SECRET = "hunter2-TOPSECRET";

    /** An interceptor that answers with {@code decide}, named {@code name}. */
    private static AuditInterceptor interceptor(String name, BiFunction<AuditEvent, AuditInterceptor.Call,
            Interception> decide) {
        return new AuditInterceptor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Interception beforeSeal(AuditEvent event, Call call) {
                return decide.apply(event, call);
            }
        };
    }

    private static AuditLog.Builder builder(String logId, MemorySink sink) {
        return AuditLog.builder().logId(logId).sink(sink).shutdownHook(false);
    }

    private static AuditEvent event(String action) {
        return AuditEvent.builder().action(action).actor(Actor.user("ann")).outcome(Outcome.success())
                .attribute("password", SECRET).build();
    }

    private static List<AuditEvent> events(MemorySink sink, String logId) {
        return sink.records(logId).stream().map(r -> r.event().orElseThrow()).toList();
    }

    @Test
    void redactionRunsFirstThenInterceptorsInOrderAndTheirChangesAreRecorded() {
        MemorySink sink = new MemorySink();
        List<String> seen = new CopyOnWriteArrayList<>();
        AuditInterceptor tenant = interceptor("tenant", (e, c) -> {
            seen.add("tenant:" + e.attributes());
            return Interception.proceed(e.toBuilder().tenantId("acme").build());
        });
        AuditInterceptor second = interceptor("second", (e, c) -> {
            seen.add("second:" + e.tenantId().orElse("-"));
            return Interception.proceed(e);
        });
        // REJECT (the default is now REDACT): the refusal shows that redaction ran before any interceptor.
        try (AuditLog log = builder("order", sink).intercept(tenant).intercept(second)
                .redaction(dev.auditlog.Redaction.builder().secretKeys(dev.auditlog.SecretKeyAction.REJECT).build())
                .build()) {
            assertThatThrownBy(() -> log.record(event("document.read"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("password").hasMessageNotContaining(SECRET);
            assertThat(seen).isEmpty(); // redaction refused it before any interceptor saw the secret
            log.record(event("document.read").toBuilder().clearAttributes().attribute("n", 1).build()).await();
        }
        assertThat(seen).containsExactly("tenant:{n=1}", "second:acme");
        AuditEvent recorded = events(sink, "order").get(1);
        assertThat(recorded.tenantId()).contains("acme");
        assertThat(events(sink, "order").get(0).attributes()).containsEntry("interceptors",
                List.of("redaction", "tenant", "second"));
    }

    @Test
    void aSkippedRecordIsNotRecordedButCountedAndLaterInterceptorsDoNotSeeIt() {
        MemorySink sink = new MemorySink();
        AtomicInteger later = new AtomicInteger();
        AuditInterceptor skipHealth = interceptor("skip-health", (e, c) -> e.action().startsWith("health.")
                ? Interception.skip("health", "health checks are not audited") : Interception.proceed(e));
        AuditInterceptor counter = interceptor("counter", (e, c) -> {
            later.incrementAndGet();
            return Interception.proceed(e);
        });
        try (AuditLog log = builder("skip", sink).intercept(skipHealth).intercept(counter).build()) {
            AuditReceipt r = log.record(AuditEvent.builder().action("health.ping").actor(Actor.system("lb"))
                    .outcome(Outcome.success()).build());
            assertThat(r.isSkipped()).isTrue();
            assertThat(r.isDropped()).isFalse();
            r.await(); // a skip is not a failure
            assertThatThrownBy(r::sequence).hasMessageContaining("skip-health skipped it (health: health checks");
            assertThat(later).hasValue(0);
            assertThat(log.metrics().skipped()).isEqualTo(1);
            assertThat(log.metrics().dropped()).isZero();
        }
        assertThat(events(sink, "skip")).extracting(AuditEvent::action).containsExactly("audit.log.started",
                "audit.log.stopped");
        assertThat(events(sink, "skip").get(1).attributes()).containsEntry("skipped", 1L);
    }

    @Test
    void aVetoDeniesTheIntentAndTheDenialIsRecorded() {
        MemorySink sink = new MemorySink();
        AuditInterceptor noVault = interceptor("no-vault", (e, c) -> c == AuditInterceptor.Call.INTENT
                && e.action().startsWith("vault.") ? Interception.veto("no-vault", "the vault is closed")
                : Interception.proceed(e));
        AtomicInteger ran = new AtomicInteger();
        try (AuditLog log = builder("veto", sink).intercept(noVault).build()) {
            GuardDecision d = log.guard(event("vault.open").toBuilder().clearAttributes().build());
            assertThat(d.allowed()).isFalse();
            assertThat(d.ruleId()).contains("no-vault");
            assertThat(d.reason()).contains("the vault is closed");
            assertThatThrownBy(() -> log.guarded(event("vault.read").toBuilder().clearAttributes().build(),
                    ran::incrementAndGet)).isInstanceOf(GuardDeniedException.class);
            assertThat(ran).hasValue(0);
            assertThat(log.guard(AuditEvent.builder().action("door.open").actor(Actor.user("ann"))
                    .outcome(Outcome.success()).build()).allowed()).isTrue();
        }
        List<AuditEvent> ev = events(sink, "veto");
        assertThat(ev.get(1).outcome().status()).isEqualTo(OutcomeStatus.DENIED);
        assertThat(ev.get(1).outcome().reasonCode()).contains("no-vault");
        assertThat(ev.get(1).attributes()).containsEntry("guard.decision", "DENY").containsEntry("guard.rule",
                "no-vault");
        assertThat(ev.get(3).outcome().status()).isEqualTo(OutcomeStatus.PENDING); // door.open: allowed
    }

    @Test
    void intentsAndOutcomesAreNeverSkippedAndRecordsNeverVetoed() {
        MemorySink sink = new MemorySink();
        AuditInterceptor skipsEverything = interceptor("skips-everything",
                (e, c) -> c == AuditInterceptor.Call.RECORD ? Interception.veto("x", "a record cannot be vetoed")
                        : Interception.skip("x", "an intent cannot be skipped"));
        AuditInterceptor guard = interceptor("guard", (e, c) -> c == AuditInterceptor.Call.INTENT
                && e.actor().id().equals("mallory") ? Interception.veto("blocked", "mallory is blocked")
                : Interception.proceed(e));
        try (AuditLog log = builder("never", sink).intercept(skipsEverything).intercept(guard).build()) {
            log.record(AuditEvent.builder().action("document.read").actor(Actor.user("ann"))
                    .outcome(Outcome.success()).build()).await();
            // The skip of the intent is not honoured: the next interceptor still decides, and it denies.
            GuardDecision d = log.guard(AuditEvent.builder().action("login").actor(Actor.user("mallory"))
                    .outcome(Outcome.success()).build());
            assertThat(d.allowed()).isFalse();
            assertThat(d.ruleId()).contains("blocked");
            String result = log.guarded(AuditEvent.builder().action("report.run").actor(Actor.user("ann"))
                    .outcome(Outcome.success()).build(), () -> "done");
            assertThat(result).isEqualTo("done");
        }
        assertThat(events(sink, "never")).extracting(AuditEvent::action).containsExactly("audit.log.started",
                "document.read", "login", "report.run", "report.run", "audit.log.stopped");
    }

    @Test
    void anInterceptorThatFailsOnAnIntentDeniesItFailClosed() {
        MemorySink sink = new MemorySink();
        AuditInterceptor broken = interceptor("broken", (e, c) -> {
            if (c == AuditInterceptor.Call.INTENT) {
                throw new IllegalStateException("bug");
            }
            return Interception.proceed(e);
        });
        try (AuditLog log = builder("broken", sink).intercept(broken).build()) {
            GuardDecision d = log.guard(AuditEvent.builder().action("login").actor(Actor.user("ann"))
                    .outcome(Outcome.success()).build());
            assertThat(d.allowed()).isFalse();
            assertThat(d.sequence()).isPresent(); // the denial itself is recorded
        }
        assertThat(events(sink, "broken").get(1).outcome().status()).isEqualTo(OutcomeStatus.DENIED);
    }

    @Test
    void observersSeeSealedCallerRecordsInOrderAndTimersRunOnTheTicker() {
        MemorySink sink = new MemorySink();
        FakeTicker ticker = new FakeTicker();
        List<Long> observed = new CopyOnWriteArrayList<>();
        AtomicInteger ticks = new AtomicInteger();
        AuditInterceptor observer = new AuditInterceptor() {
            private InterceptorContext context;

            @Override
            public void start(InterceptorContext context) {
                this.context = context;
                context.schedule(Duration.ofMinutes(1), () -> {
                    context.recordSelf(context.selfEvent("audit.test.tick").attribute("n", ticks.incrementAndGet())
                            .build());
                    return Optional.of(Duration.ofMinutes(1));
                });
            }

            @Override
            public Interception beforeSeal(AuditEvent event, Call call) {
                return Interception.proceed(event);
            }

            @Override
            public boolean observesSealed() {
                return true;
            }

            @Override
            public void afterSeal(long sequence, Instant occurredAt, AuditEvent event) {
                observed.add(sequence);
            }

            @Override
            public Map<String, Object> stoppedAttributes() {
                return Map.of("observed", (long) observed.size());
            }
        };
        try (AuditLog log = builder("observe", sink).ticker(ticker).intercept(observer).build()) {
            for (int i = 0; i < 3; i++) {
                log.record(TckEvents.event(i));
            }
            ticker.advance(Duration.ofSeconds(59));
            log.flush();
            assertThat(ticks).hasValue(0);
            ticker.advance(Duration.ofSeconds(1));
            log.flush(); // runs the due timer first, then waits for what it recorded
            assertThat(ticks).hasValue(1);
            assertThat(events(sink, "observe")).extracting(AuditEvent::action).contains("audit.test.tick");
        }
        assertThat(observed).containsExactly(1L, 2L, 3L); // not the log's own records
        List<AuditEvent> ev = events(sink, "observe");
        assertThat(ev.get(ev.size() - 1).attributes()).containsEntry("observed", 3L);
    }

    @Test
    void anInterceptorBelongsToOneLogAndIsAddedOnce() {
        AuditInterceptor once = new AuditInterceptor() {
            private boolean started;

            @Override
            public void start(InterceptorContext context) {
                if (started) {
                    throw new IllegalStateException("already installed");
                }
                started = true;
            }

            @Override
            public Interception beforeSeal(AuditEvent event, Call call) {
                return Interception.proceed(event);
            }
        };
        assertThatThrownBy(() -> AuditLog.builder().intercept(once).intercept(once))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("added twice");
        try (AuditLog first = builder("one", new MemorySink()).intercept(once).build()) {
            assertThatThrownBy(() -> builder("two", new MemorySink()).intercept(once).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already installed");
            assertThat(first.metrics().recorded()).isEqualTo(1);
        }
    }
}
