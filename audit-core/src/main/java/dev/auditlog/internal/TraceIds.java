package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.spi.TraceContext;
import dev.auditlog.spi.TraceContextProvider;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fills an event's missing trace, span and request ids on the caller's thread: first from the
 * {@link TraceContextProvider}s (such as OpenTelemetry's current span), then from the SLF4J MDC under the configured
 * keys and OpenTelemetry's MDC keys {@code trace_id} and {@code span_id}. Whether the SLF4J binding has an MDC at
 * all is decided once, at build; without one the MDC is not read and the log says so, once per JVM.
 */
final class TraceIds {
    /** The MDC keys OpenTelemetry's logging instrumentation (Logback, Log4j 2 MDC injection) writes. */
    static final String OTEL_TRACE_ID = "trace_id";
    static final String OTEL_SPAN_ID = "span_id";

    private static final AtomicBoolean NO_MDC_REPORTED = new AtomicBoolean();

    private final String logId;
    private final List<TraceContextProvider> providers;
    private final EngineConfig.MdcKeys keys;
    private final boolean mdc;
    private final AtomicBoolean[] providerFailed;

    TraceIds(String logId, List<TraceContextProvider> providers, EngineConfig.MdcKeys keys, boolean mdc) {
        this.logId = logId;
        this.providers = List.copyOf(providers);
        this.keys = keys;
        this.mdc = mdc;
        this.providerFailed = new AtomicBoolean[this.providers.size()];
        for (int i = 0; i < providerFailed.length; i++) {
            providerFailed[i] = new AtomicBoolean();
        }
    }

    /** For {@code config}: looks at the SLF4J binding and reports, once per JVM, when it has no MDC. */
    static TraceIds create(EngineConfig config) {
        boolean mdc = bindingHasMdc();
        if (!mdc && NO_MDC_REPORTED.compareAndSet(false, true)) {
            reportNoMdc(config.logId(), config.traceContexts());
        }
        return new TraceIds(config.logId(), config.traceContexts(), config.mdcKeys(), mdc);
    }

    /** Whether a log in this JVM has reported a binding without an MDC. */
    static boolean noMdcReported() {
        return NO_MDC_REPORTED.get();
    }

    /** Whether the SLF4J binding keeps an MDC (slf4j-simple and NOP do not). */
    static boolean bindingHasMdc() {
        MDCAdapter adapter = MDC.getMDCAdapter();
        return adapter != null && !(adapter instanceof NOPMDCAdapter);
    }

    private static void reportNoMdc(String logId, List<TraceContextProvider> providers) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        String message = noMdcMessage(logId, factory, providers);
        if (factory instanceof NOPLoggerFactory) {
            // No binding at all: a logged warning would vanish, and this would stay silent, which is the bug.
            System.err.println("WARNING: " + message);
        } else if (providers.isEmpty()) {
            Engine.LOG.warn(message);
        } else {
            Engine.LOG.info(message);
        }
    }

    static String noMdcMessage(String logId, ILoggerFactory factory, List<TraceContextProvider> providers) {
        String names = providers.stream().map(TraceContextProvider::name).toList().toString();
        return "auditlog (log " + logId + "): the SLF4J binding (" + factory.getClass().getName()
                + ") has no MDC, so trace, span and request ids are not taken from the MDC; "
                + (providers.isEmpty() ? "no trace context provider was found either: add audit-opentelemetry, use"
                + " an SLF4J binding with an MDC (Logback, Log4j 2), or set the ids on each event"
                : "trace and span ids come from the trace context providers " + names + " only");
    }

    /**
     * The ids to store for {@code event}: {trace, span, request}, each "" when the event has its own or none is found;
     * null when none is found at all.
     */
    String[] missing(AuditEvent event) {
        boolean needTrace = event.traceId().isEmpty();
        boolean needSpan = event.spanId().isEmpty();
        String trace = "";
        String span = "";
        if ((needTrace || needSpan) && !providers.isEmpty()) {
            TraceContext c = fromProviders();
            String ct = valid(c.traceId().orElse(null));
            // A span id belongs to its trace: never pair the event's own trace id with another trace's span.
            boolean sameTrace = needTrace || event.traceId().get().equals(ct);
            if (needTrace) {
                trace = ct;
            }
            if (needSpan && sameTrace) {
                span = valid(c.spanId().orElse(null));
            }
        }
        String request = "";
        if (mdc) {
            if (needTrace && trace.isEmpty()) {
                trace = mdc(keys.traceId(), OTEL_TRACE_ID);
            }
            if (needSpan && span.isEmpty()) {
                span = mdc(keys.spanId(), OTEL_SPAN_ID);
            }
            if (event.requestId().isEmpty()) {
                request = valid(MDC.get(keys.requestId()));
            }
        }
        if (trace.isEmpty() && span.isEmpty() && request.isEmpty()) {
            return null; // the usual case: no array to allocate
        }
        return new String[] {trace, span, request};
    }

    private TraceContext fromProviders() {
        for (int i = 0; i < providers.size(); i++) {
            TraceContextProvider p = providers.get(i);
            try {
                TraceContext c = p.current();
                if (c != null && !c.isEmpty()) {
                    return c;
                }
            } catch (RuntimeException e) {
                if (providerFailed[i].compareAndSet(false, true)) {
                    Engine.LOG.error("audit log {}: trace context provider {} failed; records go on without its ids"
                            + " (logged once)", logId, p.name(), e);
                }
            }
        }
        return TraceContext.none();
    }

    private static String mdc(String key, String otelKey) {
        String v = valid(MDC.get(key));
        return v.isEmpty() && !key.equals(otelKey) ? valid(MDC.get(otelKey)) : v;
    }

    /** An id is used only if it would pass event validation; a bad one must not break the record. */
    static String valid(String v) {
        if (v == null || v.isEmpty() || v.length() > 256) {
            return "";
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isSurrogate(v.charAt(i))) {
                return "";
            }
        }
        return v;
    }
}
