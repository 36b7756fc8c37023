package dev.auditlog.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * The trace and span id current on a thread, as a {@link TraceContextProvider} reports them. Either may be absent.
 * Immutable.
 */
public final class TraceContext {
    private static final TraceContext NONE = new TraceContext(null, null);

    private final String traceId;
    private final String spanId;

    private TraceContext(String traceId, String spanId) {
        this.traceId = traceId;
        this.spanId = spanId;
    }

    /** No trace context. */
    public static TraceContext none() {
        return NONE;
    }

    /**
     * A trace id and a span id; an empty string means absent.
     *
     * @throws NullPointerException when either is null
     */
    public static TraceContext of(String traceId, String spanId) {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        if (traceId.isEmpty() && spanId.isEmpty()) {
            return NONE;
        }
        return new TraceContext(traceId.isEmpty() ? null : traceId, spanId.isEmpty() ? null : spanId);
    }

    /** The trace id, when there is one. */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    /** The span id, when there is one. */
    public Optional<String> spanId() {
        return Optional.ofNullable(spanId);
    }

    /** Whether neither id is present. */
    public boolean isEmpty() {
        return traceId == null && spanId == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceContext t && Objects.equals(t.traceId, traceId) && Objects.equals(t.spanId, spanId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceId, spanId);
    }

    @Override
    public String toString() {
        return "TraceContext[traceId=" + traceId + ", spanId=" + spanId + "]";
    }
}
