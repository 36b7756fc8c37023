package dev.auditlog;

import dev.auditlog.spi.EventCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The limit on the whole record, the number of targets, the nesting ceiling and values no store can hold. */
class RecordLimitsTest {

    private static AuditEvent.Builder base(AuditLimits limits) {
        return AuditEvent.builder(limits).action("doc.read").actor(Actor.user("u1")).outcome(Outcome.success());
    }

    @Test
    void computedSizeIsExactlyTheSerialisedSize() {
        Random random = new Random(7);
        String[] samples = {"plain", "\u0001\u001f\u007f", "\"\\\b\t\n\f\r", "é中\u2028\u2029", "😀x😀",
                "mixed ü € \u0002"};
        for (int round = 0; round < 200; round++) {
            AuditEvent.Builder b = base(AuditLimits.defaults());
            b.occurredAt(Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1000), random.nextInt(3) == 0 ? 0
                    : random.nextInt(3) == 0 ? 5_000_000 : random.nextInt(1_000_000_000)));
            String s = samples[random.nextInt(samples.length)] + round;
            if (random.nextBoolean()) {
                b.message(s);
            }
            if (random.nextBoolean()) {
                b.target(Target.of("doc", s, "name " + s));
            }
            if (random.nextBoolean()) {
                b.target("user", "x" + round);
            }
            if (random.nextBoolean()) {
                b.origin(Origin.builder().ip("10.0.0." + (round % 200)).userAgent(s).build());
            }
            if (random.nextBoolean()) {
                b.outcome(Outcome.of(OutcomeStatus.FAILURE, "code" + round, s));
            }
            if (random.nextBoolean()) {
                b.actor(Actor.builder("u" + s, ActorType.SERVICE).displayName(s).sessionId("s" + round)
                        .onBehalfOf(Actor.user("boss")).build());
            }
            b.traceId("t" + round).spanId("s").requestId("r");
            if (random.nextBoolean()) {
                b.tenantId(s).correlationId("c");
            }
            if (random.nextBoolean()) {
                b.attribute("a", s).attribute("n", (long) random.nextInt() * 1000).attribute("f", false)
                        .attribute("l", List.of(s, 1L, true, Map.of("k", s, "z", List.of())))
                        .attribute("m", Map.of());
            }
            AuditEvent e = b.build();
            assertThat(RecordSize.eventJsonBytes(e)).as("round %d", round).isEqualTo(EventCodec.write(e).length);
            // the cheap bound that spares an ordinary event the exact count never says less than the exact count
            assertThat(RecordSize.bound(e)).as("round %d", round).isGreaterThanOrEqualTo(RecordSize.recordBytes(e));
            AuditEvent bare = e.toBuilder().clearAttributes().build(); // traceId etc. kept: no MDC allowance
            assertThat(RecordSize.bound(bare)).as("round %d", round)
                    .isGreaterThanOrEqualTo(RecordSize.recordBytes(bare));
        }
    }

    @Test
    void anEscapeHeavyEventWithinTheFieldLimitsIsRefusedNamingTheLargestField() {
        // the case: 1023 strings of 4096 \u0001, each escaped to 6 bytes: 25 MB
        List<String> list = Collections.nCopies(1023, "\u0001".repeat(4096));
        Throwable t = catchThrowable(() -> base(AuditLimits.defaults()).attribute("blob", list)
                .build());
        assertThat(t).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordBytes").hasMessageContaining("at most 1048576 bytes")
                .hasMessageContaining("largest field is attributes.blob").hasMessageContaining("event doc.read");
    }

    @Test
    void theNumberOfTargetsIsLimited() {
        AuditEvent.Builder b = base(AuditLimits.defaults());
        for (int i = 0; i < 65; i++) {
            b.target("doc", "d" + i);
        }
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targets must have at most 64 entries (maxTargets), was 65");
        // raised: the whole-record limit still applies, naming the targets
        AuditLimits many = AuditLimits.builder().maxTargets(200_000).build();
        AuditEvent.Builder big = base(many);
        String id = "i".repeat(256);
        for (int i = 0; i < 5_000; i++) { // 1.3 MB of targets (the 100 000 made 28 MB)
            big.target("doc", id);
        }
        assertThatThrownBy(big::build).hasMessageContaining("largest field is targets");
    }

    @Test
    void justUnderTheLimitPassesJustOverFails() {
        AuditLimits limits = AuditLimits.builder().maxAttributeStringLength(2_000_000).build();
        AuditEvent small = base(limits).traceId("t").spanId("s").requestId("r")
                .occurredAt(Instant.parse("2026-01-01T00:00:00Z")).attribute("v", "x").build();
        long fixed = RecordSize.ENVELOPE + RecordSize.eventJsonBytes(small) - 1; // minus the one 'x'
        int room = (int) (limits.maxRecordBytes() - fixed);
        AuditEvent fits = base(limits).traceId("t").spanId("s").requestId("r")
                .occurredAt(Instant.parse("2026-01-01T00:00:00Z")).attribute("v", "x".repeat(room)).build();
        assertThat(RecordSize.ENVELOPE + RecordSize.eventJsonBytes(fits)).isEqualTo(limits.maxRecordBytes());
        assertThatThrownBy(() -> fits.toBuilder().attribute("v", "x".repeat(room + 1)).build())
                .hasMessageContaining("was " + (limits.maxRecordBytes() + 1) + " bytes");
    }

    @Test
    void limitsCannotExceedWhatReadersTake() {
        assertThatThrownBy(() -> AuditLimits.builder().maxAttributeDepth(40))
                .hasMessage("maxAttributeDepth must be at most 29 (the JSON readers' nesting limit is 32 and a record"
                        + " nests its attributes 3 deep), was 40");
        assertThatThrownBy(() -> AuditLimits.builder().maxRecordBytes(AuditLimits.MAX_RECORD_BYTES + 1))
                .hasMessageContaining("maxRecordBytes must be between 16384 and 4194304");
        // the deepest nesting allowed is written and read back
        AuditLimits deep = AuditLimits.builder().maxAttributeDepth(AuditLimits.MAX_ATTRIBUTE_DEPTH).build();
        Object v = "leaf";
        for (int i = 0; i < AuditLimits.MAX_ATTRIBUTE_DEPTH; i++) {
            v = Map.of("k", v);
        }
        @SuppressWarnings("unchecked")
        AuditEvent e = base(deep).attribute("deep", (Map<String, ?>) v).build();
        assertThat(EventCodec.read(EventCodec.write(e))).isEqualTo(e);
        // one deeper names the nesting limit rather than failing in the serialiser
        assertThatThrownBy(() -> base(deep).attribute("deeper", Map.of("k", e.attributes().get("deep"))).build())
                .hasMessageContaining("maxAttributeDepth").hasMessageContaining("at most 29");
    }

    @Test
    void aStringOverOneMebibyteIsWrittenAndReadBack() {
        AuditLimits big = AuditLimits.builder().maxAttributeStringLength(3_000_000)
                .maxRecordBytes(AuditLimits.MAX_RECORD_BYTES).build();
        AuditEvent e = base(big).attribute("big", "é".repeat(1_500_000)).build();
        assertThat(EventCodec.read(EventCodec.write(e))).isEqualTo(e);
    }

    @Test
    void nulIsRefusedInEveryIdAndText() {
        String nul = "a\u0000b";
        List<Runnable> cases = new ArrayList<>();
        cases.add(() -> Actor.user(nul));
        cases.add(() -> Actor.builder("u", ActorType.USER).sessionId(nul));
        cases.add(() -> Target.of("doc", nul));
        cases.add(() -> Outcome.of(OutcomeStatus.FAILURE, "c", nul));
        cases.add(() -> base(AuditLimits.defaults()).tenantId(nul));
        cases.add(() -> base(AuditLimits.defaults()).message(nul));
        cases.add(() -> base(AuditLimits.defaults()).attribute("note", nul).build());
        cases.add(() -> base(AuditLimits.defaults()).attribute("password", nul).build());
        cases.add(() -> base(AuditLimits.defaults()).attribute("l", List.of("x", nul)).build());
        cases.add(() -> Sensitive.pii(nul));
        for (Runnable r : cases) {
            assertThat(catchThrowable(r::run)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("U+0000");
        }
    }

    @Test
    void occurredAtMustLieWithinYears1000To9999() {
        for (Instant bad : List.of(Instant.MIN, Instant.MAX, Instant.parse("0999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("+294277-01-01T00:00:00Z"),
                Instant.parse("0001-01-01T00:00:00Z"))) {
            assertThatThrownBy(() -> base(AuditLimits.defaults()).occurredAt(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("occurredAt must lie within years 1000-9999 UTC");
        }
        base(AuditLimits.defaults()).occurredAt(Instant.parse("1000-01-01T00:00:00Z")).build();
        base(AuditLimits.defaults()).occurredAt(Instant.parse("9999-12-31T23:59:59.999999999Z")).build();
    }
}
