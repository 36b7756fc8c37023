package dev.auditlog.protect;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each built-in rule on hand-made observed records; times are exact, so the window edges are too. */
class RulesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z"); // a Monday

    private static AuditEvent loginFail(String user, String ip) {
        return AuditEvent.builder().action(AuditActions.AUTHN_LOGIN_FAIL).category(Category.AUTHENTICATION)
                .actor(Actor.user(user)).outcome(Outcome.failure("bad_password"))
                .origin(Origin.builder().ip(ip).build()).build();
    }

    private static List<Alert> feed(DetectionRule rule, long seq, Instant at, AuditEvent e) {
        return rule.evaluate(new ObservedEvent(seq, at, e));
    }

    @Test
    void thresholdFiresAtCountWithinTheWindowExclusiveOfItsEdge() {
        DetectionRule r = Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(5)
                .within(Duration.ofSeconds(60)).severity(Severity.ERROR).build();
        AuditEvent e = loginFail("alice", "203.0.113.7");
        // 5 events spanning exactly 60 s: the first is one window old when the fifth arrives, no alert
        for (int i = 0; i < 4; i++) {
            assertThat(feed(r, i, T0.plusSeconds(15L * i), e)).isEmpty();
        }
        assertThat(feed(r, 4, T0.plusSeconds(60), e)).isEmpty();
        // the next one, 59.999999999 s after the second: fires, naming the last five records
        List<Alert> alerts = feed(r, 5, T0.plusSeconds(75).minusNanos(1), e);
        assertThat(alerts).hasSize(1);
        Alert a = alerts.get(0);
        assertThat(a.ruleId()).isEqualTo("login-burst");
        assertThat(a.key()).isEqualTo("actor:alice");
        assertThat(a.severity()).isEqualTo(Severity.ERROR);
        assertThat(a.sequences()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(a.summary()).contains("5 authn_login_fail for actor:alice within PT1M");
        // the window starts afresh after firing
        assertThat(feed(r, 6, T0.plusSeconds(76), e)).isEmpty();
    }

    @Test
    void thresholdByIpAndOutcome() {
        DetectionRule r = Rules.threshold("ip-burst").keyBy(ThresholdKey.SOURCE_IP).outcome(OutcomeStatus.FAILURE)
                .count(3).within(Duration.ofSeconds(10)).build();
        assertThat(feed(r, 0, T0, loginFail("a", "198.51.100.1"))).isEmpty();
        assertThat(feed(r, 1, T0, loginFail("b", "198.51.100.1"))).isEmpty();
        assertThat(feed(r, 2, T0, loginFail("c", "198.51.100.2"))).isEmpty();
        AuditEvent ok = AuditEvent.builder().action("x").actor(Actor.user("d")).outcome(Outcome.success())
                .origin(Origin.builder().ip("198.51.100.1").build()).build();
        assertThat(feed(r, 3, T0, ok)).isEmpty();
        List<Alert> a = feed(r, 4, T0.plusSeconds(9), loginFail("e", "198.51.100.1"));
        assertThat(a).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo("ip:198.51.100.1");
            assertThat(x.sequences()).containsExactly(0L, 1L, 4L);
        });
    }

    @Test
    void thresholdStateStaysUnderItsCapForAMillionKeys() {
        ThresholdRule r = (ThresholdRule) Rules.threshold("many").count(5).maxKeys(10_000).build();
        for (int i = 0; i < 1_000_000; i++) {
            r.observe("actor:k" + i, T0, i);
            if ((i & 0xffff) == 0) {
                assertThat(r.trackedKeys()).isLessThanOrEqualTo(10_000);
            }
        }
        assertThat(r.trackedKeys()).isEqualTo(10_000);
        assertThat(r.evictions()).isEqualTo(990_000);
    }

    @Test
    void restrictedTargets() {
        DetectionRule r = Rules.restrictedTargets("payroll").targetType("table").targetId("payroll*")
                .actorTypes(dev.auditlog.ActorType.USER).allowActors("hr-*").build();
        AuditEvent bad = AuditEvent.builder().action("db.select").actor(Actor.user("bob")).outcome(Outcome.success())
                .target("table", "payroll_2026").build();
        AuditEvent hr = bad.toBuilder().actor(Actor.user("hr-ann")).build();
        AuditEvent svc = bad.toBuilder().actor(Actor.service("etl")).build();
        AuditEvent other = bad.toBuilder().targets(List.of(dev.auditlog.Target.of("table", "orders"))).build();
        assertThat(feed(r, 7, T0, bad)).singleElement().satisfies(a -> {
            assertThat(a.key()).isEqualTo("actor:bob");
            assertThat(a.summary()).contains("restricted target table:payroll_2026");
            assertThat(a.sequences()).containsExactly(7L);
        });
        assertThat(feed(r, 8, T0, hr)).isEmpty();
        assertThat(feed(r, 9, T0, svc)).isEmpty();
        assertThat(feed(r, 10, T0, other)).isEmpty();
        assertThatThrownBy(() -> Rules.restrictedTargets("x").build()).hasMessageContaining("targetType");
    }

    @Test
    void privilegeChanges() {
        DetectionRule r = Rules.privilegeChanges("priv").build();
        for (String action : List.of(AuditActions.PRIVILEGE_PERMISSIONS_CHANGED, AuditActions.AUTHZ_CHANGE,
                AuditActions.AUTHZ_ADMIN)) {
            AuditEvent e = AuditEvent.builder().action(action).actor(Actor.user("root")).outcome(Outcome.success())
                    .target("user", "bob").build();
            assertThat(feed(r, 1, T0, e)).singleElement()
                    .satisfies(a -> assertThat(a.summary()).contains(action).contains("user:bob"));
        }
        assertThat(feed(r, 1, T0, loginFail("a", "192.0.2.1"))).isEmpty();
    }

    @Test
    void outsideWorkingHoursEdges() {
        DetectionRule r = Rules.outsideWorkingHours("hours").zone(ZoneId.of("Europe/Paris"))
                .hours(LocalTime.of(8, 0), LocalTime.of(18, 0)).days(DayOfWeek.MONDAY, DayOfWeek.TUESDAY).build();
        AuditEvent e = loginFail("alice", "192.0.2.1");
        // Paris is UTC+1 in early March: 08:00 local = 07:00Z
        Instant open = Instant.parse("2026-03-02T07:00:00Z");
        assertThat(feed(r, 1, open.minusNanos(1), e)).hasSize(1);
        assertThat(feed(r, 1, open, e)).isEmpty();
        Instant close = Instant.parse("2026-03-02T17:00:00Z");
        assertThat(feed(r, 1, close.minusNanos(1), e)).isEmpty();
        assertThat(feed(r, 1, close, e)).singleElement()
                .satisfies(a -> assertThat(a.summary()).contains("outside working hours"));
        assertThat(feed(r, 1, Instant.parse("2026-03-04T10:00:00Z"), e)).hasSize(1); // Wednesday
        AuditEvent service = AuditEvent.builder().action("job.run").actor(Actor.service("cron"))
                .outcome(Outcome.success()).build();
        assertThat(feed(r, 1, close, service)).isEmpty();
    }

    @Test
    void privilegedActorFromANewIp() {
        DetectionRule r = Rules.newSourceIp("new-ip").privilegedActors("admin-*").notSeenFor(Duration.ofDays(30))
                .bounds(100, 2).build();
        assertThat(feed(r, 1, T0, loginFail("admin-1", "192.0.2.1"))).isEmpty(); // first sight: no history
        assertThat(feed(r, 2, T0.plusSeconds(1), loginFail("admin-1", "192.0.2.1"))).isEmpty();
        assertThat(feed(r, 3, T0.plusSeconds(2), loginFail("admin-1", "192.0.2.2"))).singleElement()
                .satisfies(a -> assertThat(a.summary()).contains("192.0.2.2"));
        // seen 30 days minus 1 ns ago: known; exactly 30 days after its last sighting: new again
        Instant last = T0.plusSeconds(2);
        assertThat(feed(r, 4, last.plus(Duration.ofDays(30)).minusNanos(1), loginFail("admin-1", "192.0.2.2")))
                .isEmpty();
        Instant lastAgain = last.plus(Duration.ofDays(30)).minusNanos(1);
        assertThat(feed(r, 5, lastAgain.plus(Duration.ofDays(30)), loginFail("admin-1", "192.0.2.2"))).hasSize(1);
        assertThat(feed(r, 6, T0, loginFail("bob", "192.0.2.9"))).isEmpty();
        DetectionRule first = Rules.newSourceIp("first").privilegedActors("root").alertOnFirstSight(true).build();
        assertThat(feed(first, 1, T0, loginFail("root", "192.0.2.1"))).hasSize(1);
        assertThatThrownBy(() -> Rules.newSourceIp("x").build()).hasMessageContaining("privilegedActors");
    }

    @Test
    void newIpMemoryIsBounded() {
        NewSourceIpRule r = (NewSourceIpRule)
                Rules.newSourceIp("b").privilegedActors("*").bounds(50, 4).build();
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(loginFail("u" + i, "192.0.2." + (i % 250)));
        }
        for (int i = 0; i < events.size(); i++) {
            feed(r, i, T0, events.get(i));
        }
        assertThat(r.trackedActors()).isEqualTo(50);
    }

    @Test
    void builderSettingsAreValidated() {
        assertThatThrownBy(() -> Rules.threshold("t").count(0)).hasMessageContaining("threshold.count");
        assertThatThrownBy(() -> Rules.threshold("t").within(Duration.ZERO)).hasMessageContaining("threshold.within");
        assertThatThrownBy(() -> Rules.threshold("t").action("")).hasMessageContaining("threshold.action");
        assertThatThrownBy(() -> Rules.threshold("bad id")).hasMessageContaining("rule id");
        assertThatThrownBy(() -> Rules.threshold("t").keyBy(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("keyBy");
        assertThatThrownBy(() -> Rules.outsideWorkingHours("h").hours(LocalTime.NOON, LocalTime.MIDNIGHT))
                .hasMessageContaining("start must be before end");
        assertThatThrownBy(() -> Alert.builder().ruleId("r").key("k").summary("s").firedAt(T0).build())
                .hasMessageContaining("sequence");
    }
}
