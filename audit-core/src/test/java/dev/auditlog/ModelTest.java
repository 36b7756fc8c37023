package dev.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void defaultsAndGeneratedId() {
        AuditEvent e = AuditEvent.builder().action("a").actor(Actor.user("u")).outcome(Outcome.success()).build();
        assertThat(e.category()).isEqualTo(Category.OTHER);
        assertThat(e.severity()).isEqualTo(Severity.INFO);
        assertThat(e.eventId().version()).isEqualTo(7);
        assertThat(e.occurredAt()).isEmpty();
        assertThat(e.targets()).isEmpty();
        assertThat(e.attributes()).isEmpty();
        assertThat(e.origin()).isEmpty();
        assertThat(e.message()).isEmpty();
        UUID any = UUID.fromString("00000000-0000-4000-8000-000000000000");
        assertThat(e.toBuilder().eventId(any).build().eventId()).isEqualTo(any);
    }

    @Test
    void attributesAreNormalisedSortedAndDeeplyImmutable() {
        List<Object> list = new ArrayList<>(List.of(1, (short) 2, (byte) 3, 4L, "s", true));
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", List.of(5));
        AuditEvent e = AuditEvent.builder().action("a").actor(Actor.user("u")).outcome(Outcome.success())
                .attribute("zeta", list).attribute("alpha", inner).attribute("mid", 7).build();
        list.add("mutated later");
        inner.put("b", 2);
        assertThat(e.attributes().keySet()).containsExactly("alpha", "mid", "zeta");
        assertThat(e.attributes().get("zeta")).isEqualTo(List.of(1L, 2L, 3L, 4L, "s", true));
        assertThat(e.attributes().get("mid")).isEqualTo(7L);
        @SuppressWarnings("unchecked")
        Map<String, Object> alpha = (Map<String, Object>) e.attributes().get("alpha");
        assertThat(alpha.keySet()).containsExactly("a", "z");
        assertThat(alpha.get("a")).isEqualTo(List.of(5L));
        assertThatThrownBy(() -> e.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> alpha.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> zeta = (List<Object>) e.attributes().get("zeta");
        assertThatThrownBy(() -> zeta.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.targets().add(Target.of("d", "1")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalsHashCodeAndToString() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456789Z");
        UUID id = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
        Map<String, Object> m1 = new HashMap<>();
        m1.put("b", 1);
        m1.put("a", "x");
        AuditEvent a = AuditEvent.builder().eventId(id).occurredAt(at).action("a").actor(Actor.user("u"))
                .outcome(Outcome.denied("no")).attribute("m", m1).message("hi\nthere").build();
        AuditEvent b = AuditEvent.builder().eventId(id).occurredAt(at).action("a").actor(Actor.user("u"))
                .outcome(Outcome.denied("no")).attribute("m", Map.of("a", "x", "b", 1L)).message("hi\nthere").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(b.toBuilder().message("other").build());
        assertThat(a).isNotEqualTo(b.toBuilder().occurredAt(at.plusNanos(1)).build());
        assertThat(a.toString()).contains("hi\\nthere").doesNotContain("\n").contains(id.toString());
        assertThat(Actor.user("u")).isEqualTo(Actor.builder("u", ActorType.USER).build())
                .isNotEqualTo(Actor.service("u"));
        assertThat(Target.of("d", "1", "n")).isEqualTo(Target.of("d", "1", "n")).isNotEqualTo(Target.of("d", "1"));
        assertThat(Outcome.failure("c")).isEqualTo(Outcome.of(OutcomeStatus.FAILURE, "c"))
                .hasToString("Outcome{status=FAILURE, reasonCode=\"c\"}");
        assertThat(Origin.builder().ip("::1").build()).isEqualTo(Origin.builder().ip("::1").build());
        assertThat(AuditLimits.defaults().toString()).contains("maxIdLength=256");
    }

    @Test
    void targetsReplaceAndAppend() {
        AuditEvent.Builder b = AuditEvent.builder().action("a").actor(Actor.user("u")).outcome(Outcome.success())
                .target("doc", "1");
        b.targets(List.of(Target.of("doc", "2"), Target.of("doc", "3"))).target(Target.of("doc", "4", "four"));
        assertThat(b.build().targets()).extracting(Target::id).containsExactly("2", "3", "4");
    }
}
