package dev.auditlog.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.auditlog.Actor;
import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Delivery;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;
import dev.auditlog.Target;
import dev.auditlog.integrity.Ed25519Keys;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Logback appender that turns log statements carrying the {@code AUDIT} marker into typed audit events recorded
 * on an {@link AuditLog}: the migration path for teams that audit with their logger today. Statements without the
 * marker are ignored, so it can sit beside the other appenders on the root logger.
 *
 * <pre>{@code
 * private static final Marker AUDIT = MarkerFactory.getMarker("AUDIT");
 *
 * log.atInfo().addMarker(AUDIT)
 *         .addKeyValue("action", "document.read").addKeyValue("actor", "alice")
 *         .addKeyValue("target.type", "document").addKeyValue("target.id", "42")
 *         .addKeyValue("outcome", "SUCCESS").addKeyValue("pages", 3)
 *         .log("alice read document 42");
 * }</pre>
 *
 * <p>Each field is taken from the statement's key-value pairs ({@code addKeyValue}), else from its MDC under the
 * same key; see the README's table. {@code action} and {@code actor} are required. Key-value pairs that are not a
 * field become attributes (strings, whole numbers, booleans; anything else as its {@code toString()}); other MDC
 * entries are not copied. The event's time is the statement's; its message is the formatted message.
 *
 * <p>A marked statement that cannot become an event (a required field missing, a value breaking its rule, an
 * attribute the log's redaction rejects) is never dropped in silence: it is counted ({@link #rejected()}), reported
 * to Logback's status manager with the field and the rule, and recorded in the audit log as
 * {@value #REJECTED_ACTION} (actor SYSTEM {@code audit-logback}, outcome FAILURE, attributes {@code logger},
 * {@code level}, {@code error}: the field and the rule, as the validation message gives them, values shortened and
 * escaped, and never the value of a secret-looking attribute).
 *
 * <p>The log is either the application's ({@link #setAuditLog(AuditLog)}, before {@link #start()}), or one the
 * appender opens at start and closes at stop from its configuration ({@code logId}, {@code sink}, optional
 * {@code checkpointKeyFile} and {@code delivery}):
 *
 * <pre>{@code
 * <appender name="AUDIT" class="dev.auditlog.logback.AuditAppender">
 *   <logId>orders</logId>
 *   <sink>file:/var/log/audit</sink>
 *   <checkpointKeyFile>/etc/auditlog/checkpoint.key</checkpointKeyFile>
 * </appender>
 * }</pre>
 */
public class AuditAppender extends AppenderBase<ILoggingEvent> {
    /** The default marker name. */
    public static final String DEFAULT_MARKER = "AUDIT";
    /** The action of the record made for a marked statement that could not become an event. */
    public static final String REJECTED_ACTION = "logback.audit_rejected";

    /** The keys that are fields of the event, never attributes. */
    static final Set<String> FIELDS = Set.of("action", "actor", "actor.type", "category", "severity", "outcome",
            "outcome.reason", "target.type", "target.id", "target.name", "ip", "user_agent", "trace_id", "span_id",
            "request_id", "correlation_id", "tenant_id");

    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private String markerName = DEFAULT_MARKER;
    private AuditLog log;
    private boolean ownsLog;
    private String logId;
    private final List<String> sinks = new ArrayList<>();
    private String checkpointKeyFile;
    private Delivery delivery = Delivery.ASYNC;

    /** An appender configured by Logback (or by setters, then {@link #start()}). */
    public AuditAppender() {
    }

    /** Records on the application's {@code log}, which the appender never closes. Call before {@link #start()}. */
    public void setAuditLog(AuditLog log) {
        this.log = log;
        this.ownsLog = false;
    }

    /** The marker name that makes a statement an audit event. Default {@value #DEFAULT_MARKER}. */
    public void setMarker(String name) {
        this.markerName = name;
    }

    /** The log id of the log the appender opens (not with {@link #setAuditLog}). */
    public void setLogId(String logId) {
        this.logId = logId;
    }

    /** A sink spec for the log the appender opens, such as {@code file:/var/log/audit}; repeat for more sinks. */
    public void addSink(String spec) {
        sinks.add(spec);
    }

    /** The signing key file (as {@code auditlog keygen} writes it) for the opened log's checkpoints. */
    public void setCheckpointKeyFile(String file) {
        this.checkpointKeyFile = file;
    }

    /** {@code ASYNC} (default) or {@code SYNC} delivery for the opened log. */
    public void setDelivery(String delivery) {
        try {
            this.delivery = Delivery.valueOf(delivery.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            addError("delivery must be ASYNC or SYNC, was \"" + delivery + "\"");
            this.delivery = null;
        }
    }

    /** Marked statements recorded as events since start. */
    public long recorded() {
        return recorded.get();
    }

    /** Marked statements that could not become an event since start (each reported and recorded as rejected). */
    public long rejected() {
        return rejected.get();
    }

    /** The log the appender records on, once started. */
    public AuditLog auditLog() {
        return log;
    }

    @Override
    public void start() {
        if (markerName == null || markerName.isBlank()) {
            addError("marker must not be empty");
            return;
        }
        if (log == null) {
            if (!openLog()) {
                return;
            }
        } else if (logId != null || !sinks.isEmpty()) {
            addError("set either an AuditLog (setAuditLog) or logId and sink, not both");
            return;
        }
        super.start();
    }

    private boolean openLog() {
        if (logId == null || sinks.isEmpty() || delivery == null) {
            addError("the appender needs <logId> and at least one <sink> (or setAuditLog(log) in code)"
                    + (delivery == null ? ", and a valid <delivery>" : "") + "; it is not started");
            return false;
        }
        try {
            AuditLog.Builder b = AuditLog.builder().logId(logId).delivery(delivery);
            sinks.forEach(b::sink);
            if (checkpointKeyFile != null) {
                b.checkpoints(Ed25519Keys.readSigningKey(Path.of(checkpointKeyFile)));
            }
            log = b.build();
            ownsLog = true;
            return true;
        } catch (IOException | RuntimeException e) {
            addError("could not open audit log " + logId + ": " + e.getMessage()); // messages never hold key bytes
            return false;
        }
    }

    @Override
    public void stop() {
        super.stop();
        if (ownsLog && log != null) {
            try {
                log.close();
            } catch (RuntimeException e) {
                addError("closing audit log " + log.logId() + " failed: " + e.getMessage(), e);
            }
            log = null;
        }
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!marked(e)) {
            return;
        }
        AuditEvent event;
        try {
            event = toEvent(e);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            reject(e, ex.getMessage());
            return;
        } catch (RuntimeException ex) { // such as a context without an MDC adapter: still not silently lost
            reject(e, "the statement could not be read (" + ex.getClass().getName() + ")");
            return;
        }
        try {
            log.record(event);
            recorded.incrementAndGet();
        } catch (IllegalArgumentException ex) {
            reject(e, ex.getMessage()); // e.g. a secret-looking attribute under the log's redaction
        } catch (RuntimeException ex) {
            rejected.incrementAndGet();
            addError("audit statement from " + e.getLoggerName() + " could not be recorded: " + ex, ex);
        }
    }

    private boolean marked(ILoggingEvent e) {
        List<Marker> markers = e.getMarkerList();
        if (markers == null) {
            return false;
        }
        for (Marker m : markers) {
            if (m.contains(markerName)) {
                return true;
            }
        }
        return false;
    }

    private void reject(ILoggingEvent e, String error) {
        rejected.incrementAndGet();
        addError("audit statement from logger " + e.getLoggerName() + " rejected: " + error);
        try {
            log.record(AuditEvent.builder().action(REJECTED_ACTION).category(Category.SYSTEM)
                    .severity(Severity.ERROR).actor(Actor.system("audit-logback"))
                    .outcome(Outcome.failure("invalid_statement"))
                    .occurredAt(Instant.ofEpochMilli(e.getTimeStamp()))
                    .attribute("logger", e.getLoggerName()).attribute("level", e.getLevel().toString())
                    .attribute("error", error == null ? "unknown" : error).build());
        } catch (RuntimeException ex) {
            addError("recording the rejection failed too: " + ex, ex);
        }
    }

    /** The statement as an event; throws with the field and the rule when it cannot be one. */
    AuditEvent toEvent(ILoggingEvent e) {
        Map<String, Object> kv = new LinkedHashMap<>();
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair p : pairs) {
                if (p.key != null) {
                    kv.put(p.key, p.value);
                }
            }
        }
        Map<String, String> mdc = e.getMDCPropertyMap();
        Fields f = new Fields(kv, mdc == null ? Map.of() : mdc);

        AuditEvent.Builder b = AuditEvent.builder()
                .action(f.required("action"))
                .occurredAt(Instant.ofEpochMilli(e.getTimeStamp()));
        String actorType = f.get("actor.type");
        b.actor(Actor.builder(f.required("actor"), actorType == null ? ActorType.USER
                : f.enumValue("actor.type", actorType, ActorType.class)).build());
        String category = f.get("category");
        b.category(category == null ? Category.OTHER : f.enumValue("category", category, Category.class));
        String severity = f.get("severity");
        b.severity(severity == null ? severityOf(e.getLevel()) : f.enumValue("severity", severity, Severity.class));
        String outcome = f.get("outcome");
        OutcomeStatus status = outcome == null ? OutcomeStatus.UNKNOWN
                : f.enumValue("outcome", outcome, OutcomeStatus.class);
        String reason = f.get("outcome.reason");
        b.outcome(reason == null ? Outcome.of(status) : Outcome.of(status, reason));
        String targetType = f.get("target.type");
        String targetId = f.get("target.id");
        if (targetType != null || targetId != null) {
            if (targetType == null || targetId == null) {
                throw new IllegalArgumentException("target.type and target.id must be given together, got only "
                        + (targetType == null ? "target.id" : "target.type"));
            }
            String name = f.get("target.name");
            b.target(name == null ? Target.of(targetType, targetId) : Target.of(targetType, targetId, name));
        }
        String ip = f.get("ip");
        String ua = f.get("user_agent");
        if (ip != null || ua != null) {
            Origin.Builder o = Origin.builder();
            if (ip != null) {
                o.ip(ip);
            }
            if (ua != null) {
                o.userAgent(ua);
            }
            b.origin(o.build());
        }
        String v;
        if ((v = f.get("trace_id", "traceId")) != null) {
            b.traceId(v);
        }
        if ((v = f.get("span_id", "spanId")) != null) {
            b.spanId(v);
        }
        if ((v = f.get("request_id", "requestId")) != null) {
            b.requestId(v);
        }
        if ((v = f.get("correlation_id")) != null) {
            b.correlationId(v);
        }
        if ((v = f.get("tenant_id")) != null) {
            b.tenantId(v);
        }
        String message = e.getFormattedMessage();
        if (message != null && !message.isEmpty()) {
            b.message(message);
        }
        for (Map.Entry<String, Object> a : kv.entrySet()) {
            if (!FIELDS.contains(a.getKey())) {
                attribute(b, a.getKey(), a.getValue());
            }
        }
        return b.build();
    }

    private static void attribute(AuditEvent.Builder b, String name, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            b.attribute(name, ((Number) value).longValue());
        } else if (value instanceof Boolean bool) {
            b.attribute(name, bool);
        } else {
            b.attribute(name, String.valueOf(value));
        }
    }

    static Severity severityOf(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> Severity.ERROR;
            case Level.WARN_INT -> Severity.WARNING;
            default -> Severity.INFO;
        };
    }

    /** A statement's fields: its key-value pairs first, then its MDC. */
    private record Fields(Map<String, Object> kv, Map<String, String> mdc) {
        String get(String... keys) {
            for (String k : keys) {
                Object v = kv.get(k);
                if (v != null) {
                    return v.toString();
                }
            }
            for (String k : keys) {
                String v = mdc.get(k);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        String required(String key) {
            String v = get(key);
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException(key + " is required: add it with addKeyValue(\"" + key
                        + "\", ...) or put it in the MDC");
            }
            return v;
        }

        <E extends Enum<E>> E enumValue(String key, String value, Class<E> type) {
            try {
                return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    names.add(c.name());
                }
                throw new IllegalArgumentException(key + " must be one of " + names + ", was \""
                        + value.replaceAll("\\p{Cntrl}", "?") + "\"", e);
            }
        }
    }
}
