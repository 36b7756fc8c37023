package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import dev.auditlog.Actor;
import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLimits;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;
import dev.auditlog.Target;
import dev.auditlog.Sensitive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The canonical JSON form of an {@link AuditEvent}.
 *
 * <p>One event is one JSON object with this fixed field order, absent optionals omitted:
 * {@code id, occurredAt, action, category, severity, actor{id, type, displayName, sessionId, onBehalfOf},
 * targets[{type, id, name}], outcome{status, reasonCode, reason}, origin{ip, userAgent, channel, host}, traceId,
 * spanId, requestId, correlationId, tenantId, message, attributes}}. {@code targets} and {@code attributes} are
 * omitted when empty; attribute maps are written sorted by key. Output is deterministic: the same event always
 * yields the same bytes, and it never contains a raw line break (see {@link Json}).
 *
 * <p>Reading is strict: unknown or duplicate fields, wrong token types, non-canonical ids/timestamps,
 * non-integral or out-of-range numbers and missing required fields are rejected with an {@link IOException}
 * ({@link JsonParseException}); values are then validated by the normal builders, which throw
 * {@link IllegalArgumentException} with the usual messages.
 *
 * <p>Internal API: not exported from the module.
 */
final class EventJson {



    private EventJson() {
    }

    /**
     * Serializes one event to compact UTF-8 JSON bytes (no trailing newline), with no fallbacks.
     *
     * @throws NullPointerException if {@code event} is null
     */
    public static byte[] toJson(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(g, event, null, null, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes one event as a JSON object. The fallbacks (each may be null) are used only when the event lacks the
     * corresponding value; a null fallback for an absent value omits the field. If the generator does not use
     * {@link Json#ESCAPES} it is switched to them, so output stays single-line safe.
     *
     * @throws IllegalArgumentException if a non-null string fallback is empty or not well-formed UTF-16
     */
    /** Room for the longest value written as raw bytes: an action of 128 chars. */
    private static final int MAX_RAW = 256;

    /**
     * Per-thread room for the values written as raw bytes ({@link #writeAscii}): ids, times, and the strings whose
     * rules allow only printable ASCII other than {@code "} and {@code \\}.
     */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[MAX_RAW]);

    /*
     * Field names and enum values, quoted and encoded once: Jackson copies their bytes instead of escaping them char
     * by char on every event (they are plain ASCII, so the output is the same).
     */
    private static final SerializableString F_ACTION = new SerializedString("action");
    private static final SerializableString F_ACTOR = new SerializedString("actor");
    private static final SerializableString F_ATTRIBUTES = new SerializedString("attributes");
    private static final SerializableString F_CATEGORY = new SerializedString("category");
    private static final SerializableString F_CHANNEL = new SerializedString("channel");
    private static final SerializableString F_CORRELATION_ID = new SerializedString("correlationId");
    private static final SerializableString F_DISPLAY_NAME = new SerializedString("displayName");
    private static final SerializableString F_HOST = new SerializedString("host");
    private static final SerializableString F_ID = new SerializedString("id");
    private static final SerializableString F_IP = new SerializedString("ip");
    private static final SerializableString F_MESSAGE = new SerializedString("message");
    private static final SerializableString F_NAME = new SerializedString("name");
    private static final SerializableString F_OCCURRED_AT = new SerializedString("occurredAt");
    private static final SerializableString F_ON_BEHALF_OF = new SerializedString("onBehalfOf");
    private static final SerializableString F_ORIGIN = new SerializedString("origin");
    private static final SerializableString F_OUTCOME = new SerializedString("outcome");
    private static final SerializableString F_REASON = new SerializedString("reason");
    private static final SerializableString F_REASON_CODE = new SerializedString("reasonCode");
    private static final SerializableString F_REQUEST_ID = new SerializedString("requestId");
    private static final SerializableString F_SESSION_ID = new SerializedString("sessionId");
    private static final SerializableString F_SEVERITY = new SerializedString("severity");
    private static final SerializableString F_SPAN_ID = new SerializedString("spanId");
    private static final SerializableString F_STATUS = new SerializedString("status");
    private static final SerializableString F_TARGETS = new SerializedString("targets");
    private static final SerializableString F_TENANT_ID = new SerializedString("tenantId");
    private static final SerializableString F_TRACE_ID = new SerializedString("traceId");
    private static final SerializableString F_TYPE = new SerializedString("type");
    private static final SerializableString F_USER_AGENT = new SerializedString("userAgent");
    private static final SerializableString[] CATEGORIES = quoted(Category.values());
    private static final SerializableString[] SEVERITIES = quoted(Severity.values());
    private static final SerializableString[] STATUSES = quoted(OutcomeStatus.values());
    private static final SerializableString[] ACTOR_TYPES = quoted(ActorType.values());
    private static final SerializableString[] CHANNELS = quoted(Channel.values());

    private static SerializableString[] quoted(Enum<?>[] values) {
        SerializableString[] out = new SerializableString[values.length];
        for (Enum<?> v : values) {
            out[v.ordinal()] = new SerializedString(v.name());
        }
        return out;
    }

    public static void write(JsonGenerator g, AuditEvent e, Instant occurredAtIfAbsent, String traceIdIfAbsent,
            String spanIdIfAbsent, String requestIdIfAbsent) throws IOException {
        Objects.requireNonNull(g, "g");
        Objects.requireNonNull(e, "e");
        if (g.getCharacterEscapes() != Json.ESCAPES) {
            g.setCharacterEscapes(Json.ESCAPES);
        }
        // Ids, times, the action, target types and IPs are printable ASCII without '"' or '\\' by their rules, so
        // Jackson would write them unchanged: they are copied as raw bytes, without its per-char escape check.
        byte[] scratch = SCRATCH.get();
        boolean raw = g instanceof UTF8JsonGenerator;
        g.writeStartObject();
        g.writeFieldName(F_ID);
        if (raw) {
            g.writeRawUTF8String(scratch, 0, Texts.uuid(e.eventId(), scratch, 0));
        } else {
            g.writeString(e.eventId().toString());
        }
        Instant at = e.occurredAt().orElse(occurredAtIfAbsent);
        if (at != null) {
            int end = raw ? Texts.instant(at, scratch, 0) : -1;
            g.writeFieldName(F_OCCURRED_AT);
            if (end < 0) {
                g.writeString(at.toString());
            } else {
                g.writeRawUTF8String(scratch, 0, end);
            }
        }
        g.writeFieldName(F_ACTION);
        writeAscii(g, e.action(), raw, scratch);
        g.writeFieldName(F_CATEGORY);
        g.writeString(CATEGORIES[e.category().ordinal()]);
        g.writeFieldName(F_SEVERITY);
        g.writeString(SEVERITIES[e.severity().ordinal()]);
        g.writeFieldName(F_ACTOR);
        writeActor(g, e.actor());
        if (!e.targets().isEmpty()) {
            g.writeFieldName(F_TARGETS);
            g.writeStartArray();
            for (Target t : e.targets()) {
                g.writeStartObject();
                g.writeFieldName(F_TYPE);
                writeAscii(g, t.type(), raw, scratch);
                g.writeFieldName(F_ID);
                g.writeString(t.id());
                writeOptional(g, F_NAME, t.name());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        Outcome outcome = e.outcome();
        g.writeFieldName(F_OUTCOME);
        g.writeStartObject();
        g.writeFieldName(F_STATUS);
        g.writeString(STATUSES[outcome.status().ordinal()]);
        writeOptional(g, F_REASON_CODE, outcome.reasonCode());
        writeOptional(g, F_REASON, outcome.reason());
        g.writeEndObject();
        if (e.origin().isPresent()) {
            Origin origin = e.origin().get();
            g.writeFieldName(F_ORIGIN);
            g.writeStartObject();
            String ip = origin.ip().orElse(null);
            if (ip != null) {
                g.writeFieldName(F_IP);
                writeAscii(g, ip, raw, scratch);
            }
            writeOptional(g, F_USER_AGENT, origin.userAgent());
            if (origin.channel().isPresent()) {
                g.writeFieldName(F_CHANNEL);
                g.writeString(CHANNELS[origin.channel().get().ordinal()]);
            }
            writeOptional(g, F_HOST, origin.host());
            g.writeEndObject();
        }
        writeOptional(g, F_TRACE_ID, or(e.traceId(), traceIdIfAbsent, "traceIdIfAbsent"));
        writeOptional(g, F_SPAN_ID, or(e.spanId(), spanIdIfAbsent, "spanIdIfAbsent"));
        writeOptional(g, F_REQUEST_ID, or(e.requestId(), requestIdIfAbsent, "requestIdIfAbsent"));
        writeOptional(g, F_CORRELATION_ID, e.correlationId());
        writeOptional(g, F_TENANT_ID, e.tenantId());
        writeOptional(g, F_MESSAGE, e.message());
        if (!e.attributes().isEmpty()) {
            g.writeFieldName(F_ATTRIBUTES);
            writeValue(g, e.attributes());
        }
        g.writeEndObject();
    }

    /**
     * Writes a string that its field's rule limits to printable ASCII without {@code "} and {@code \\} (an action,
     * a target type, an IP: checked by the builders, the only way to make an event), as raw bytes: what
     * {@link JsonGenerator#writeString(String)} writes for it, without its per-char escape check.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): for such a string a plain array copy
    private static void writeAscii(JsonGenerator g, String s, boolean raw, byte[] scratch) throws IOException {
        int n = s.length();
        if (raw && n <= scratch.length) {
            s.getBytes(0, n, scratch, 0);
            g.writeRawUTF8String(scratch, 0, n);
        } else {
            g.writeString(s);
        }
    }

    private static Optional<String> or(Optional<String> value, String fallback, String name) {
        if (value.isPresent() || fallback == null) {
            return value;
        }
        if (fallback.isEmpty() || SafeText.loneSurrogateIndex(fallback) >= 0) {
            throw new IllegalArgumentException(name + " must be non-empty, well-formed UTF-16, was "
                    + SafeText.describe(fallback));
        }
        return Optional.of(fallback);
    }

    private static void writeActor(JsonGenerator g, Actor a) throws IOException {
        g.writeStartObject();
        g.writeFieldName(F_ID);
        g.writeString(a.id());
        g.writeFieldName(F_TYPE);
        g.writeString(ACTOR_TYPES[a.type().ordinal()]);
        writeOptional(g, F_DISPLAY_NAME, a.displayName());
        writeOptional(g, F_SESSION_ID, a.sessionId());
        if (a.onBehalfOf().isPresent()) {
            g.writeFieldName(F_ON_BEHALF_OF);
            writeActor(g, a.onBehalfOf().get());
        }
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, SerializableString name, Optional<String> value)
            throws IOException {
        if (value.isPresent()) {
            g.writeFieldName(name);
            g.writeString(value.get());
        }
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Long) {
            g.writeNumber((Long) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof List) {
            g.writeStartArray();
            for (Object element : (List<?>) value) {
                writeValue(g, element);
            }
            g.writeEndArray();
        } else if (value instanceof Map) {
            // maps in a built AuditEvent are SortedMaps, so iteration order is key order
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                g.writeFieldName((String) entry.getKey());
                writeValue(g, entry.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Sensitive) {
            throw new IllegalStateException("an attribute holds an unredacted Sensitive value: only an AuditLog, which"
                    + " redacts it first, can record this event (value not shown)");
        } else {
            throw new IllegalStateException("unexpected attribute value type " + value.getClass().getName());
        }
    }
}
