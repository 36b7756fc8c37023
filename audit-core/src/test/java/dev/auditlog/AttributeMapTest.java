package dev.auditlog;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event's attribute map, kept as one sorted array shared with the builder that made it. */
class AttributeMapTest {

    private static AuditEvent.Builder base() {
        return AuditEvent.builder().action("doc.read").actor(Actor.user("u1")).outcome(Outcome.success());
    }

    @Test
    void behavesAsTheSortedMapOfWhatWasSetInAnyOrder() {
        Random random = new Random(16);
        for (int round = 0; round < 300; round++) {
            AuditEvent.Builder b = base();
            TreeMap<String, Object> expected = new TreeMap<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                String name = "k" + random.nextInt(30); // repeats: the last value wins
                if (random.nextBoolean()) {
                    long v = random.nextInt(100);
                    b.attribute(name, v);
                    expected.put(name, v);
                } else {
                    b.attribute(name, "v" + i);
                    expected.put(name, "v" + i);
                }
            }
            Map<String, Object> actual = b.build().attributes();
            assertThat(actual).as("round %d", round).isEqualTo(expected);
            assertThat(expected).isEqualTo(actual);
            assertThat(actual.hashCode()).isEqualTo(expected.hashCode());
            assertThat(actual.toString()).isEqualTo(expected.toString());
            assertThat(List.copyOf(actual.keySet())).isEqualTo(List.copyOf(expected.keySet()));
            assertThat(List.copyOf(actual.entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
            for (int i = 0; i < 30; i++) {
                assertThat(actual.get("k" + i)).isEqualTo(expected.get("k" + i));
                assertThat(actual.containsKey("k" + i)).isEqualTo(expected.containsKey("k" + i));
            }
            assertThat(actual.get(42)).isNull();
            if (!expected.isEmpty()) {
                SortedMap<String, Object> sorted = (SortedMap<String, Object>) actual;
                assertThat(sorted.firstKey()).isEqualTo(expected.firstKey());
                assertThat(sorted.lastKey()).isEqualTo(expected.lastKey());
                assertThat(sorted.headMap("k2")).isEqualTo(expected.headMap("k2"));
                assertThat(sorted.tailMap("k2")).isEqualTo(expected.tailMap("k2"));
                assertThat(sorted.subMap("k1", "k5")).isEqualTo(expected.subMap("k1", "k5"));
            }
        }
    }

    @Test
    void isImmutableEvenWhenEmpty() {
        for (AuditEvent e : List.of(base().build(), base().attribute("a", 1L).build())) {
            Map<String, Object> m = e.attributes();
            assertThatThrownBy(() -> m.put("b", "x")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> m.remove("a")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(m::clear).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> m.putAll(Map.of("b", "x"))).isInstanceOf(UnsupportedOperationException.class);
            if (!m.isEmpty()) {
                assertThatThrownBy(() -> m.entrySet().iterator().next().setValue("x"))
                        .isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(() -> m.keySet().remove("a")).isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(() -> ((SortedMap<String, Object>) m).subMap("a", "z").clear())
                        .isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void aBuilderChangedAfterBuildLeavesTheEventsItBuiltAlone() {
        AuditEvent.Builder b = base().attribute("b", "1").attribute("d", 2L);
        AuditEvent first = b.build();
        b.attribute("a", "new").attribute("b", "changed"); // an insert before and a replace in the shared array
        AuditEvent second = b.build();
        b.clearAttributes().attribute("z", true);
        AuditEvent third = b.build();
        b.attribute("d", 3L);

        assertThat(first.attributes()).isEqualTo(Map.of("b", "1", "d", 2L));
        assertThat(second.attributes()).isEqualTo(Map.of("a", "new", "b", "changed", "d", 2L));
        assertThat(third.attributes()).isEqualTo(Map.of("z", true));
        assertThat(first.toBuilder().attribute("c", "x").build().attributes())
                .isEqualTo(Map.of("b", "1", "c", "x", "d", 2L));
        assertThat(first.attributes()).isEqualTo(Map.of("b", "1", "d", 2L));
    }

    @Test
    void targetsKeepTheirOrderAndABuilderChangedAfterBuildLeavesThemAlone() {
        AuditEvent.Builder b = base().target("doc", "1");
        AuditEvent one = b.build();
        b.target("doc", "2").target("doc", "3");
        AuditEvent three = b.build();
        b.targets(List.of(Target.of("user", "u")));
        AuditEvent replaced = b.build();

        assertThat(one.targets()).containsExactly(Target.of("doc", "1"));
        assertThat(three.targets()).containsExactly(Target.of("doc", "1"), Target.of("doc", "2"), Target.of("doc", "3"));
        assertThat(replaced.targets()).containsExactly(Target.of("user", "u"));
        assertThat(base().build().targets()).isEmpty();
        assertThatThrownBy(() -> three.targets().add(Target.of("doc", "4")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
