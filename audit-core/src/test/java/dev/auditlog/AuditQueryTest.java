package dev.auditlog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditQueryTest {

    private static AuditQuery.Builder q() {
        return AuditQuery.builder().logId("orders");
    }

    @Test
    void defaultsAndAccessors() {
        AuditQuery query = q().actorId("alice").outcome(OutcomeStatus.DENIED).build();
        assertThat(query.pageSize()).isEqualTo(100);
        assertThat(query.afterSequence()).isEqualTo(-1);
        assertThat(query.pageToken()).isEmpty();
        assertThat(query.actorId()).contains("alice");
        assertThat(query.describe()).containsEntry("actor_id", "alice").containsEntry("outcome", "DENIED")
                .containsEntry("page_size", 100L).containsEntry("continued", false).doesNotContainKey("action");
    }

    @Test
    void validationNamesFieldRuleAndValue() {
        assertThatThrownBy(() -> q().pageSize(1001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pageSize must be between 1 and 1000, was 1001");
        assertThatThrownBy(() -> q().pageSize(0)).hasMessage("pageSize must be between 1 and 1000, was 0");
        assertThatThrownBy(() -> AuditQuery.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("logId is required");
        assertThatThrownBy(() -> AuditQuery.builder().logId("bad id")).hasMessageContaining("logId must match")
                .hasMessageContaining("\"bad id\"");
        assertThatThrownBy(() -> q().action("Bad")).hasMessageContaining("action must match")
                .hasMessageContaining("\"Bad\"");
        assertThatThrownBy(() -> q().actionPrefix("a%")).hasMessageContaining("actionPrefix must match");
        assertThatThrownBy(() -> q().actorId("")).hasMessage("actorId must not be empty, was \"\"");
        assertThatThrownBy(() -> q().action("a.b").actionPrefix("a.").build())
                .hasMessageContaining("mutually exclusive");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> q().from(t).to(t).build()).hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> q().actorId(null)).isInstanceOf(NullPointerException.class).hasMessage("actorId");
    }

    @Test
    void aTokenContinuesOnlyTheQueryThatIssuedIt() {
        AuditQuery first = q().actorId("alice").pageSize(10).build();
        String token = first.tokenAfter(41);
        assertThat(token).doesNotContain(":").doesNotContain("41");
        AuditQuery second = first.toBuilder().pageSize(50).pageToken(token).build(); // page size may change
        assertThat(second.afterSequence()).isEqualTo(41);
        assertThat(second.describe()).containsEntry("continued", true);
        assertThatThrownBy(() -> q().actorId("bob").pageToken(token).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other filters");
        assertThatThrownBy(() -> q().pageToken(token).build()).hasMessageContaining("other filters");
        assertThatThrownBy(() -> AuditQuery.builder().logId("other").actorId("alice").pageToken(token).build())
                .hasMessageContaining("other filters");
        assertThatThrownBy(() -> q().pageToken("!!!").build()).hasMessageContaining("pageToken must be a token");
        String forged = Base64.getUrlEncoder().encodeToString("v2:1:x".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> q().pageToken(forged).build()).hasMessageContaining("unknown layout");
    }
}
