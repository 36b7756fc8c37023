package dev.auditlog.micrometer;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.MemorySink;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.protect.AlertResponse;
import dev.auditlog.protect.Protection;
import dev.auditlog.protect.Rules;
import dev.auditlog.tck.FailingSink;
import dev.auditlog.tck.FakeTicker;
import dev.auditlog.tck.TckEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogMetricsTest {
    private static final Duration FAST = Duration.ofMillis(1);

    private static AuditLog.Builder builder(String logId) {
        return AuditLog.builder().singleChain().logId(logId).shutdownHook(false).retry(2, FAST, Duration.ofMillis(2));
    }

    private static double counter(MeterRegistry r, String name, String log) {
        return r.get(name).tag("log", log).functionCounter().count();
    }

    private static double gauge(MeterRegistry r, String name, String log) {
        return r.get(name).tag("log", log).gauge().value();
    }

    @Test
    void countersFollowTheLog() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AuditLog log = builder("orders").sink(new MemorySink()).build()) {
            new AuditLogMetrics(log, List.of(io.micrometer.core.instrument.Tag.of("app", "shop"))).bindTo(registry);
            for (int i = 0; i < 3; i++) {
                log.record(TckEvents.event(i));
            }
            log.flush();
            assertThat(counter(registry, "auditlog.records.recorded", "orders")).isEqualTo(4); // + audit.log.started
            assertThat(counter(registry, "auditlog.records.written", "orders")).isEqualTo(4);
            assertThat(counter(registry, "auditlog.records.dropped", "orders")).isZero();
            assertThat(counter(registry, "auditlog.records.failed", "orders")).isZero();
            assertThat(gauge(registry, "auditlog.queue.depth", "orders")).isZero();
            assertThat(registry.get("auditlog.queue.oldest.age").tag("log", "orders").timeGauge()
                    .value(TimeUnit.SECONDS)).isZero();
            assertThat(registry.get("auditlog.records.written").tag("app", "shop").functionCounter().count())
                    .isEqualTo(4);
            assertThat(registry.get("auditlog.sink.state").tag("log", "orders").tag("state", "ok").gauge().value())
                    .isEqualTo(1);
            assertThat(registry.get("auditlog.sink.state").tag("log", "orders").tag("state", "failing").gauge().value())
                    .isZero();
            // No checkpoints configured: no age to show.
            assertThat(registry.get("auditlog.checkpoint.age").timeGauge().value(TimeUnit.SECONDS)).isNaN();
        }
    }

    @Test
    void aFailingSinkShowsDownFailedAndRetried() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FailingSink failing = FailingSink.always(new MemorySink());
        AuditLog log = builder("broken").sink(failing).build();
        try {
            new AuditLogMetrics(log).bindTo(registry);
            assertThatThrownBy(() -> log.record(TckEvents.event(0)).await()).isInstanceOf(AuditException.class);
            assertThat(counter(registry, "auditlog.records.failed", "broken")).isGreaterThanOrEqualTo(2);
            assertThat(counter(registry, "auditlog.sink.retries", "broken")).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("auditlog.sink.state").tag("state", "failing").gauge().value()).isEqualTo(1);
            assertThat(registry.get("auditlog.sink.state").tag("state", "ok").gauge().value()).isZero();
            assertThat(log.sinkHealth()).singleElement().satisfies(s -> {
                assertThat(s.reason()).isPresent();
                assertThat(s.storedThrough()).isEqualTo(-1);
            });
        } finally {
            failing.heal();
            try {
                log.close();
            } catch (AuditException expected) {
                // the failed receipts are reported again at close
            }
        }
    }

    @Test
    void checkpointAgeFollowsTheTicker() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeTicker ticker = new FakeTicker();
        try (AuditLog log = builder("signed").sink(new MemorySink()).ticker(ticker)
                .checkpoints(Ed25519Keys.generate("signed")).checkpointEvery(1, Duration.ofHours(1)).build()) {
            new AuditLogMetrics(log).bindTo(registry);
            log.record(TckEvents.event(0));
            log.flush();
            ticker.advance(Duration.ofSeconds(30));
            assertThat(registry.get("auditlog.checkpoint.age").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(30.0);
            assertThat(log.lastCheckpointAge()).contains(Duration.ofSeconds(30));
        }
    }

    @Test
    void alertsAreCountedByRule() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditAlertMetrics alerts = new AuditAlertMetrics("shop", List.of("login-burst", "never-fires"));
        alerts.bindTo(registry);
        Protection protection = Protection.builder()
                .rule(Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(3)
                        .within(Duration.ofMinutes(1)).respond(AlertResponse.lockKey(Duration.ofMinutes(5))).build())
                .alertListener(alerts).build();
        try (AuditLog log = builder("shop").sink(new MemorySink()).intercept(protection).build()) {
            assertThat(registry.get("auditlog.alerts").tag("rule", "never-fires").functionCounter().count()).isZero();
            for (int i = 0; i < 6; i++) {
                log.record(AuditEvent.builder().action(AuditActions.AUTHN_LOGIN_FAIL).category(Category.AUTHENTICATION)
                        .actor(Actor.user("alice")).outcome(Outcome.failure("bad_credentials"))
                        .origin(Origin.builder().ip("203.0.113.7").build()).build());
            }
            log.flush(); // waits for the rules and their alerts
            assertThat(registry.get("auditlog.alerts").tag("log", "shop").tag("rule", "login-burst")
                    .functionCounter().count()).isEqualTo(2);
            assertThat(alerts.count("login-burst")).isEqualTo(2);
            assertThat(registry.get("auditlog.alerts").tag("rule", "never-fires").functionCounter().count()).isZero();
        }
    }

    @Test
    void aRuleFirstSeenInAnAlertGetsItsCounterThen() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditAlertMetrics alerts = new AuditAlertMetrics("shop", List.of());
        alerts.bindTo(registry);
        assertThat(registry.find("auditlog.alerts").functionCounters()).isEmpty();
        alerts.onAlert(dev.auditlog.protect.Alert.builder().ruleId("late").key("actor:bob").sequence(7)
                .summary("late rule").firedAt(java.time.Instant.parse("2026-01-01T00:00:00Z")).build(), null);
        assertThat(registry.get("auditlog.alerts").tag("rule", "late").functionCounter().count()).isEqualTo(1);
    }
}
