package dev.auditlog.opentelemetry;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.SealedRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Records made inside an OpenTelemetry SDK span carry its ids, with no MDC (slf4j-simple has none). */
@SuppressWarnings("try") // a Scope is held for its effect, never referenced
class OpenTelemetryTraceContextTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private SdkTracerProvider tracerProvider;
    private Tracer tracer;

    @BeforeEach
    void sdk() {
        tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
        tracer = tracerProvider.get("audit-test");
    }

    @AfterEach
    void close() {
        tracerProvider.close();
    }

    private static AuditEvent event(String action) {
        return AuditEvent.builder().action(action).actor(Actor.user("alice")).outcome(Outcome.success()).build();
    }

    private static List<AuditEvent> events(MemorySink sink, String logId) {
        return sink.records(logId).stream().map(SealedRecord::event).flatMap(java.util.Optional::stream)
                .filter(e -> !e.action().startsWith("audit.")).toList();
    }

    @Test
    void aRecordMadeInsideASpanStoresThatSpansTraceAndSpanIdFoundByServiceLoader() throws Exception {
        MemorySink sink = new MemorySink();
        SigningKey key = Ed25519Keys.generate("otel-test");
        String traceId;
        String spanId;
        try (AuditLog log = AuditLog.builder().singleChain().logId("otel").sink(sink).shutdownHook(false)
                .checkpoints(key).build()) {
            Span span = tracer.spanBuilder("transfer").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                traceId = span.getSpanContext().getTraceId();
                spanId = span.getSpanContext().getSpanId();
                log.record(event("payment.transfer"));
            } finally {
                span.end();
            }
            log.record(event("payment.after"));
        }
        List<AuditEvent> events = events(sink, "otel");
        assertThat(exported.getFinishedSpanItems()).singleElement()
                .satisfies(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(events.get(0).action()).isEqualTo("payment.transfer");
        assertThat(events.get(0).traceId()).contains(traceId);
        assertThat(events.get(0).spanId()).contains(spanId);
        assertThat(events.get(1).traceId()).as("outside the span").isEmpty();
        assertThat(events.get(1).spanId()).isEmpty();
        assertThat(LogVerifier.builder(key.verifierKey()).build().verify(sink.reader().orElseThrow(), "otel")
                .findings()).isEmpty();
    }

    @Test
    void theEventsOwnIdsWinAndASpanIdIsNeverPairedWithAnotherTrace() {
        MemorySink sink = new MemorySink();
        Span span = tracer.spanBuilder("op").startSpan();
        try (AuditLog log = AuditLog.builder().singleChain().logId("own").sink(sink).shutdownHook(false)
                .discoverTraceContexts(false).traceContext(new OpenTelemetryTraceContext()).build();
             Scope ignored = span.makeCurrent()) {
            log.record(AuditEvent.builder().action("a.own").actor(Actor.user("u")).outcome(Outcome.success())
                    .traceId("0af7651916cd43dd8448eb211c80319c").build());
            log.record(AuditEvent.builder().action("a.same").actor(Actor.user("u")).outcome(Outcome.success())
                    .traceId(span.getSpanContext().getTraceId()).build());
        } finally {
            span.end();
        }
        List<AuditEvent> events = events(sink, "own");
        assertThat(events.get(0).traceId()).contains("0af7651916cd43dd8448eb211c80319c");
        assertThat(events.get(0).spanId()).as("the span belongs to another trace").isEmpty();
        assertThat(events.get(1).spanId()).contains(span.getSpanContext().getSpanId());
    }

    @Test
    void withoutAnSdkTheNoOpSpanIsInvalidAndSuppliesNothing() {
        assertThat(new OpenTelemetryTraceContext().current().isEmpty()).isTrue();
        Span span = tracer.spanBuilder("x").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            assertThat(new OpenTelemetryTraceContext().current().traceId())
                    .contains(span.getSpanContext().getTraceId());
        } finally {
            span.end();
        }
    }
}
