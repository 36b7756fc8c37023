package dev.auditlog.opentelemetry;

import dev.auditlog.spi.TraceContext;
import dev.auditlog.spi.TraceContextProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The trace and span id of OpenTelemetry's current span ({@link Span#current()}), so that a record made inside a
 * span carries them without the MDC. Found by {@link java.util.ServiceLoader} when a log is built: putting
 * {@code audit-opentelemetry} on the class or module path is all it takes. Outside any span, or with a span whose
 * context is invalid (the no-op API without an SDK or agent), it supplies nothing.
 *
 * <p>Ids are the W3C forms OpenTelemetry uses: 32 and 16 lower-case hex characters.
 */
public final class OpenTelemetryTraceContext implements TraceContextProvider {

    /** Used by {@link java.util.ServiceLoader}; also for {@code AuditLog.Builder.traceContext(...)}. */
    public OpenTelemetryTraceContext() {
    }

    @Override
    public String name() {
        return "opentelemetry";
    }

    @Override
    public TraceContext current() {
        SpanContext c = Span.current().getSpanContext();
        return c.isValid() ? TraceContext.of(c.getTraceId(), c.getSpanId()) : TraceContext.none();
    }
}
