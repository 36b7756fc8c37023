package dev.auditlog.spi;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cheap summary read from the bytes agrees with the full event, for every record. */
class EventSummaryTest {
    @Test
    void theSummaryAgreesWithTheFullEvent() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId("sum").sink(sink).shutdownHook(false).build()) {
            EventJsonTest.roundTripEvents().forEach(log::record);
        }
        List<SealedRecord> records = sink.records("sum");
        for (SealedRecord r : records) {
            for (SealedRecord copy : List.of(r, SealedRecord.parse(r.line()))) {
                AuditEvent e = copy.event().orElseThrow();
                EventSummary s = copy.eventSummary().orElseThrow();
                assertThat(s.eventId()).isEqualTo(e.eventId());
                assertThat(s.occurredAt()).isEqualTo(e.occurredAt().orElseThrow());
                assertThat(s.action()).isEqualTo(e.action());
                assertThat(s.category()).isEqualTo(e.category());
                assertThat(s.actorId()).isEqualTo(e.actor().id());
                assertThat(s.actorType()).isEqualTo(e.actor().type());
                assertThat(s.targetType()).isEqualTo(e.targets().stream().findFirst().map(t -> t.type()));
                assertThat(s.targetId()).isEqualTo(e.targets().stream().findFirst().map(t -> t.id()));
                assertThat(s.outcome()).isEqualTo(e.outcome().status());
                assertThat(s.tenantId()).isEqualTo(e.tenantId());
                assertThat(s.traceId()).isEqualTo(e.traceId());
            }
        }
    }

    @Test
    void aMalformedPayloadIsAnIllegalArgument() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId("sum").sink(sink).shutdownHook(false).build()) {
            log.record(EventJsonTest.full());
        }
        String text = sink.records("sum").get(1).lineText().replace("\"category\":\"", "\"category\":\"X");
        SealedRecord broken = SealedRecord.parse(text.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(broken::eventSummary).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("record 1");
    }
}
