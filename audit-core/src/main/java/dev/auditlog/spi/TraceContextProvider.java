package dev.auditlog.spi;

/**
 * Tells the log which trace and span are current on the calling thread, so that a record made inside a span carries
 * its ids without the application setting them (for example {@code audit-opentelemetry}, which reads OpenTelemetry's
 * current span). Found with {@link java.util.ServiceLoader} when a log is built (declare it in
 * {@code META-INF/services/dev.auditlog.spi.TraceContextProvider} or with {@code provides} in a module), or added
 * with {@code AuditLog.Builder.traceContext(...)}.
 *
 * <p>The log asks the providers, in order, on the caller's thread in {@code record()} and {@code guard()}, only for
 * an event that has no trace id or no span id of its own; the first non-empty answer wins, and only then is the SLF4J
 * MDC read. An id that would not pass event validation (longer than 256 characters, or holding a surrogate) is
 * ignored. Implementations must be cheap and thread-safe; one that throws is logged once and then skipped for
 * that call, never failing the record.
 */
public interface TraceContextProvider {

    /** A short name for messages, for example {@code opentelemetry}. */
    String name();

    /** The ids current on the calling thread, or {@link TraceContext#none()}; never null. */
    TraceContext current();
}
