package dev.auditlog.logback;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** With Logback as the SLF4J binding, the log reads the MDC: its own keys, then OpenTelemetry's. */
class MdcWithLogbackTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void theConfiguredKeysAndOpenTelemetrysKeysAreRead() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId("mdc").sink(sink).shutdownHook(false).build()) {
            MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"); // as OpenTelemetry's MDC instrumentation
            MDC.put("span_id", "00f067aa0ba902b7");
            log.record(event());
            MDC.put("traceId", "0af7651916cd43dd8448eb211c80319c"); // the configured key wins
            MDC.put("requestId", "req-9");
            log.record(event());
        }
        List<AuditEvent> events = sink.records("mdc").stream().map(SealedRecord::event).flatMap(Optional::stream)
                .filter(e -> e.action().equals("a.b")).toList();
        assertThat(events.get(0).traceId()).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(events.get(0).spanId()).contains("00f067aa0ba902b7");
        assertThat(events.get(1).traceId()).contains("0af7651916cd43dd8448eb211c80319c");
        assertThat(events.get(1).requestId()).contains("req-9");
    }

    private static AuditEvent event() {
        return AuditEvent.builder().action("a.b").actor(Actor.user("u")).outcome(Outcome.success()).build();
    }
}
