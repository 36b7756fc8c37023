package dev.auditlog.protect;

import dev.auditlog.tck.MutableClock;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.MemorySink;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;

/**
 * A rough per-record cost of the built-in rule set, on vs off: a simple loop, no assertion. Opt-in:
 * {@code mvn -pl audit-core,audit-tck verify -Dtest=ProtectionCostProbe -Dauditlog.probe=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. The benchmarks issue measures properly (JMH).
 */
class ProtectionCostProbe {
    @Test
    void perRecordCostWithRulesOnAndOff() {
        Assumptions.assumeTrue(Boolean.getBoolean("auditlog.probe"), "opt-in: -Dauditlog.probe=true");
        int n = 200_000;
        AuditEvent[] events = new AuditEvent[1024];
        for (int i = 0; i < events.length; i++) {
            events[i] = AuditEvent.builder().action(i % 4 == 0 ? AuditActions.AUTHN_LOGIN_FAIL : "document.read")
                    .category(i % 4 == 0 ? Category.AUTHENTICATION : Category.DATA_ACCESS)
                    .actor(Actor.user("user-" + (i % 97))).outcome(i % 4 == 0 ? Outcome.failure("bad") : Outcome.success())
                    .origin(Origin.builder().ip("192.0.2." + (i % 200)).build()).target("document", "d" + i)
                    .attribute("index", i).build();
        }
        for (int round = 0; round < 3; round++) {
            System.out.printf("round %d: off %.0f ns/record, rules on %.0f ns/record%n", round,
                    run(false, n, events), run(true, n, events));
        }
    }

    private static double run(boolean rules, int n, AuditEvent[] events) {
        AuditLog.Builder b = AuditLog.builder().singleChain().logId("probe").shutdownHook(false).sink(new MemorySink());
        if (rules) {
            b.intercept(Protection.builder().rule(Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(5)
                            .within(Duration.ofSeconds(60)).respond(AlertResponse.lockKey(Duration.ofMinutes(1))).build())
                    .rule(Rules.threshold("ip-burst").keyBy(dev.auditlog.protect.ThresholdKey.SOURCE_IP).count(1000)
                            .within(Duration.ofSeconds(1)).build())
                    .rule(Rules.restrictedTargets("restricted").targetType("table").build())
                    .rule(Rules.privilegeChanges("priv").build())
                    .rule(Rules.outsideWorkingHours("hours").hours(LocalTime.MIN, LocalTime.of(23, 59)).build())
                    .rule(Rules.newSourceIp("new-ip").privilegedActors("user-1*").build()).build());
        }
        long start;
        try (AuditLog log = b.build()) {
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                log.record(events[i & 1023]);
            }
            log.flush();
        }
        return (System.nanoTime() - start) / (double) n;
    }
}
