package dev.auditlog.protect;

import dev.auditlog.Actor;
import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {
    private static AuditEvent ev(String action, Category c, Outcome o) {
        return AuditEvent.builder().action(action).category(c).actor(Actor.user("u")).outcome(o)
                .target("document", "d1").build();
    }

    private static final RecordingPolicy POLICY = RecordingPolicy.builder()
            .rule(PolicyRule.builder("health").action("health.*").level(RecordingLevel.NONE).build())
            .rule(PolicyRule.builder("reads").action("document.read").outcome(OutcomeStatus.SUCCESS)
                    .level(RecordingLevel.METADATA).sampleOneIn(3).build())
            .rule(PolicyRule.builder("services").actorType(ActorType.SERVICE).targetType("doc*")
                    .level(RecordingLevel.METADATA).build())
            .rule(PolicyRule.builder("all-quiet").action("*").level(RecordingLevel.NONE).build())
            .build();

    @Test
    void explainNamesTheFirstMatchingRuleAndWhy() {
        PolicyExplanation x = POLICY.explain(ev("health.ping", Category.SYSTEM, Outcome.success()));
        assertThat(x.ruleId()).isEqualTo("health");
        assertThat(x.level()).isEqualTo(RecordingLevel.NONE);
        assertThat(x.reason()).contains("rule \"health\" (action=health.*) matched: NONE");

        PolicyExplanation r = POLICY.explain(ev("document.read", Category.DATA_ACCESS, Outcome.success()));
        assertThat(r.ruleId()).isEqualTo("reads");
        assertThat(r.sampleOneIn()).isEqualTo(3);
        assertThat(r.reason()).contains("sampled 1 in 3");

        PolicyExplanation f = POLICY.explain(ev("document.read", Category.DATA_ACCESS, Outcome.failure("io")));
        assertThat(f.ruleId()).isEqualTo("all-quiet");

        AuditEvent svc = AuditEvent.builder().action("document.write").actor(Actor.service("etl"))
                .outcome(Outcome.success()).target("document", "x").build();
        assertThat(POLICY.explain(svc).ruleId()).isEqualTo("services");
        assertThat(RecordingPolicy.builder().build().explain(svc).ruleId()).isEqualTo("default");
    }

    @Test
    void aBroadRuleCannotDropOrSampleAMandatoryEvent() {
        PolicyExplanation x = POLICY.explain(ev("authn_login_fail", Category.AUTHENTICATION, Outcome.failure("bad")));
        assertThat(x.ruleId()).isEqualTo("all-quiet");
        assertThat(x.mandatory()).isTrue();
        assertThat(x.level()).isEqualTo(RecordingLevel.FULL);
        assertThat(x.reason()).contains("would drop it, but it is mandatory (authentication failures");

        PolicyState state = new PolicyState(POLICY, Instant.EPOCH);
        assertThat(state.decide(ev("authn_login_fail", Category.AUTHENTICATION, Outcome.failure("bad"))))
                .isEqualTo(RecordingLevel.FULL);
        assertThat(state.decide(ev("x.y", Category.DATA_ACCESS, Outcome.denied("nope")))).isEqualTo(RecordingLevel.FULL);
        assertThat(state.decide(ev("x.y", Category.CONFIGURATION, Outcome.success()))).isEqualTo(RecordingLevel.FULL);
        assertThat(state.decide(ev("audit.custom", Category.OTHER, Outcome.success()))).isEqualTo(RecordingLevel.FULL);
        assertThat(state.decide(ev("x.y", Category.AUDIT_LOG_ACCESS, Outcome.success()))).isEqualTo(RecordingLevel.FULL);
        assertThat(state.decide(ev("x.y", Category.AUTHORIZATION, Outcome.failure("f")))).isEqualTo(RecordingLevel.FULL);
        assertThat(state.decide(ev("x.y", Category.DATA_ACCESS, Outcome.success()))).isEqualTo(RecordingLevel.NONE);
    }

    @Test
    void policiesThatTurnOffMandatoryCategoriesAreRefused() {
        assertThatThrownBy(() -> RecordingPolicy.builder().rule(PolicyRule.builder("no-failed-logins")
                .category(Category.AUTHENTICATION).outcome(OutcomeStatus.FAILURE).level(RecordingLevel.NONE).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"no-failed-logins\" sets level NONE for authentication failures")
                .hasMessageContaining("mandatory");
        assertThatThrownBy(() -> RecordingPolicy.builder().rule(PolicyRule.builder("no-denials")
                .outcome(OutcomeStatus.DENIED).level(RecordingLevel.NONE).build()))
                .hasMessageContaining("authorization denials");
        assertThatThrownBy(() -> RecordingPolicy.builder().rule(PolicyRule.builder("cfg")
                .category(Category.CONFIGURATION).sampleOneIn(10).build()))
                .hasMessageContaining("sampling 1 in 10").hasMessageContaining("configuration changes");
        assertThatThrownBy(() -> RecordingPolicy.builder().rule(PolicyRule.builder("reads")
                .category(Category.AUDIT_LOG_ACCESS).level(RecordingLevel.NONE).build()))
                .hasMessageContaining("access to audit logs");
        assertThatThrownBy(() -> RecordingPolicy.builder().rule(PolicyRule.builder("self")
                .action("audit.*").level(RecordingLevel.NONE).build()))
                .hasMessageContaining("audit.* records");
        assertThatThrownBy(() -> RecordingPolicy.builder().defaultLevel(RecordingLevel.NONE))
                .hasMessageContaining("defaultLevel NONE");
        assertThatThrownBy(() -> PolicyRule.builder("x").level(RecordingLevel.NONE).sampleOneIn(2).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PolicyRule.builder("bad id")).hasMessageContaining("PolicyRule.id");
        assertThatThrownBy(() -> PolicyRule.builder("x").sampleOneIn(1)).hasMessageContaining("sampleOneIn");
        // narrow enough: allowed
        RecordingPolicy.builder().rule(PolicyRule.builder("ok").category(Category.AUTHENTICATION)
                .outcome(OutcomeStatus.SUCCESS).level(RecordingLevel.NONE).build()).build();
    }

    @Test
    void samplingKeepsOneInNSuccessesAndCountsTheRest() {
        PolicyState state = new PolicyState(POLICY, Instant.EPOCH);
        AuditEvent read = ev("document.read", Category.DATA_ACCESS, Outcome.success());
        int kept = 0;
        for (int i = 0; i < 9; i++) {
            if (state.decide(read) != RecordingLevel.NONE) {
                kept++;
            }
        }
        state.decide(ev("health.ping", Category.SYSTEM, Outcome.success()));
        assertThat(kept).isEqualTo(3);
        assertThat(state.summaryDue(Instant.EPOCH.plusSeconds(59))).isFalse();
        assertThat(state.summaryDue(Instant.EPOCH.plusSeconds(60))).isTrue();
        assertThat(state.summaryDue(Instant.EPOCH.plusSeconds(60))).isFalse();
        assertThat(state.drainSkipped()).isEqualTo(Map.of("reads", 6L, "health", 1L));
        assertThat(state.drainSkipped()).isEmpty();
    }
}
