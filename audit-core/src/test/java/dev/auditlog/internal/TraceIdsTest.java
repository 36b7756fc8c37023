package dev.auditlog.internal;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.spi.TraceContext;
import dev.auditlog.spi.TraceContextProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPLoggerFactory;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * audit-core's tests run on slf4j-simple, a binding without an MDC: the log says so once, at build, and trace ids
 * still come from a trace context provider. (The MDC itself, with Logback, is tested in audit-tck's PipelineTest
 * and audit-logback.)
 */
class TraceIdsTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @AfterEach
    void clear() {
        MDC.clear();
    }

    private static AuditEvent event() {
        return AuditEvent.builder().action("a.b").actor(Actor.user("u")).outcome(Outcome.success()).build();
    }

    private static List<AuditEvent> events(MemorySink sink, String logId) {
        return sink.records(logId).stream().map(SealedRecord::event).flatMap(Optional::stream)
                .filter(e -> e.action().equals("a.b")).toList();
    }

    @Test
    void slf4jSimpleHasNoMdcAndTheBuildSaysSoOnce() {
        assertThat(TraceIds.bindingHasMdc()).isFalse();
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId("nomdc").sink(sink).shutdownHook(false).build()) {
            MDC.put("traceId", TRACE); // goes nowhere: the binding's MDC is a no-op
            log.record(event());
        }
        assertThat(TraceIds.noMdcReported()).isTrue();
        assertThat(events(sink, "nomdc").get(0).traceId()).isEmpty();
        String message = TraceIds.noMdcMessage("nomdc", LoggerFactory.getILoggerFactory(), List.of());
        assertThat(message).contains("org.slf4j.simple.SimpleLoggerFactory").contains("has no MDC")
                .contains("add audit-opentelemetry");
        assertThat(TraceIds.noMdcMessage("x", new NOPLoggerFactory(), List.of(provider(TRACE, "")))).contains(
                "from the trace context providers [test] only");
    }

    private static TraceContextProvider provider(String trace, String span) {
        return new TraceContextProvider() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public TraceContext current() {
                return TraceContext.of(trace, span);
            }
        };
    }

    @Test
    void aProviderFillsMissingIdsWithoutAnMdcAndAFailingOneNeverBreaksARecord() {
        MemorySink sink = new MemorySink();
        TraceContextProvider failing = new TraceContextProvider() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public TraceContext current() {
                throw new IllegalStateException("broken");
            }
        };
        try (AuditLog log = AuditLog.builder().singleChain().logId("prov").sink(sink).shutdownHook(false)
                .traceContext(failing).traceContext(provider(TRACE, "00f067aa0ba902b7"))
                .traceContext(provider("ffffffffffffffffffffffffffffffff", "")).build()) {
            log.record(event());
            log.record(event());
            log.record(event().toBuilder().spanId("explicit").build());
        }
        List<AuditEvent> events = events(sink, "prov");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).traceId()).contains(TRACE);
        assertThat(events.get(0).spanId()).contains("00f067aa0ba902b7");
        assertThat(events.get(1).traceId()).contains(TRACE);
        assertThat(events.get(2).spanId()).contains("explicit");
    }

    @Test
    void anIdThatWouldNotPassValidationIsIgnored() {
        assertThat(TraceIds.valid("x".repeat(257))).isEmpty();
        assertThat(TraceIds.valid("a\uD800b")).isEmpty();
        assertThat(TraceIds.valid(null)).isEmpty();
        assertThat(TraceIds.valid(TRACE)).isEqualTo(TRACE);
    }
}
