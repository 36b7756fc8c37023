package dev.auditlog.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.auditlog.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Sealing in two halves (a body laid out ahead, then its chain link) gives the same records as sealing at once. */
class RecordSealerBodyTest {

    private static byte[] payload(int i) {
        return ("{\"action\":\"a" + i + "\",\"note\":\"" + "x".repeat(i * 37) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bodiesLinkedInOrderAreTheRecordsSealMakes() {
        RecordSealer whole = new RecordSealer("log-a", 5, ChainHash.genesis("log-a"));
        RecordSealer halves = new RecordSealer("log-a", 5, ChainHash.genesis("log-a"));
        RecordSealer.Preparer preparer = new RecordSealer.Preparer("log-a");
        Instant t0 = Instant.parse("2026-12-01T10:00:00.123456789Z");
        RecordSealer.Body[] bodies = new RecordSealer.Body[120]; // bodies up to past the 4 KiB buffer
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = preparer.prepare(5 + i, t0.plusMillis(i), SealedRecord.TYPE_EVENT, payload(i));
        }
        for (int i = 0; i < bodies.length; i++) {
            SealedRecord expected = whole.seal(t0.plusMillis(i), SealedRecord.TYPE_EVENT, payload(i));
            SealedRecord actual = halves.link(bodies[i]);
            assertThat(actual.line()).isEqualTo(expected.line());
            assertThat(actual.leafHash()).isEqualTo(expected.leafHash());
            assertThat(actual.chainHash()).isEqualTo(expected.chainHash());
            assertThat(actual.sequence()).isEqualTo(5 + i);
            assertThat(SealedRecord.parse(actual.line()).leafHash()).isEqualTo(actual.leafHash());
        }
        assertThat(halves.chainHead()).isEqualTo(whole.chainHead());
        assertThat(halves.nextSequence()).isEqualTo(whole.nextSequence());
    }

    @Test
    void linkRefusesABodyOfAnotherSequenceOrChainAndLinksEachOnce() {
        RecordSealer sealer = new RecordSealer("log-a", 0, ChainHash.genesis("log-a"));
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        RecordSealer.Body later = new RecordSealer.Preparer("log-a").prepare(1, t, SealedRecord.TYPE_EVENT, payload(1));
        RecordSealer.Body other = new RecordSealer.Preparer("log-b").prepare(0, t, SealedRecord.TYPE_EVENT, payload(1));
        assertThatThrownBy(() -> sealer.link(later)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record 1").hasMessageContaining("record 0");
        assertThatThrownBy(() -> sealer.link(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("log-b");
        RecordSealer.Body first = new RecordSealer.Preparer("log-a").prepare(0, t, SealedRecord.TYPE_EVENT, payload(1));
        sealer.link(first);
        assertThatThrownBy(() -> sealer.link(first)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sealer.nextSequence()).isEqualTo(1);
    }

    @Test
    void prepareChecksItsArgumentsAsSealDoes() {
        RecordSealer.Preparer preparer = new RecordSealer.Preparer("log-a");
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        assertThatThrownBy(() -> preparer.prepare(-1, t, SealedRecord.TYPE_EVENT, payload(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> preparer.prepare(0, t, SealedRecord.TYPE_EVENT, "{\"a\":\"\n\"}".getBytes(
                StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> preparer.prepare(0, t, "Bad", payload(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventWrittenStraightIntoTheBodyIsTheBodyOfItsPayload() {
        RecordSealer.Preparer viaPayload = new RecordSealer.Preparer("log-a");
        RecordSealer.Preparer direct = new RecordSealer.Preparer("log-a");
        RecordSealer whole = new RecordSealer("log-a", 7, ChainHash.genesis("log-a"));
        RecordSealer halves = new RecordSealer("log-a", 7, ChainHash.genesis("log-a"));
        Instant t = Instant.parse("2026-12-01T10:00:00.5Z");
        Instant occurred = Instant.parse("2026-12-01T09:59:59.123Z");
        AuditEvent.Builder b = EventJsonTest.minimal();
        for (int i = 0; i < 5; i++) {
            b.attribute("note" + i, "y".repeat(4000)); // 20 KB: past the generator's and the layout's buffers
        }
        AuditEvent big = b.build();
        AuditEvent[] events = {EventJsonTest.full(), EventJsonTest.minimal().build(), big, EventJsonTest.full()};
        String[][] ids = {{"", "", ""}, {"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "req-1"},
                {"", "", "r"}, {"", "", ""}};
        for (int i = 0; i < events.length; i++) {
            byte[] payload = EventCodec.write(events[i], occurred, ids[i][0], ids[i][1], ids[i][2]);
            RecordSealer.Body expected = viaPayload.prepare(7 + i, t, SealedRecord.TYPE_EVENT, payload);
            RecordSealer.Body actual = direct.prepareEvent(7 + i, t, events[i], occurred, ids[i][0], ids[i][1],
                    ids[i][2]);
            SealedRecord e = whole.link(expected);
            SealedRecord a = halves.link(actual);
            assertThat(a.line()).isEqualTo(e.line());
            assertThat(a.leafHash()).isEqualTo(e.leafHash());
        }
        assertThat(halves.chainHead()).isEqualTo(whole.chainHead());
    }

    @Test
    void aRefusedFillInValueLeavesThePreparerUsable() {
        RecordSealer.Preparer preparer = new RecordSealer.Preparer("log-a");
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        AuditEvent event = EventJsonTest.minimal().build();
        assertThatThrownBy(() -> preparer.prepareEvent(0, t, event, t, "", "", "\uD800"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> preparer.prepareEvent(-1, t, event, t, "", "", ""))
                .isInstanceOf(IllegalArgumentException.class);
        RecordSealer.Body body = preparer.prepareEvent(0, t, event, t, "", "", "");
        RecordSealer.Body expected = new RecordSealer.Preparer("log-a").prepare(0, t, SealedRecord.TYPE_EVENT,
                EventCodec.write(event, t, "", "", ""));
        assertThat(new RecordSealer("log-a", 0, ChainHash.genesis("log-a")).link(body).line())
                .isEqualTo(new RecordSealer("log-a", 0, ChainHash.genesis("log-a")).link(expected).line());
    }
}
