package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    /** Per-thread room for ids and times, which are written without making Strings. */
    private static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[64]);

    public static void write(JsonGenerator g, AuditEvent e, Instant occurredAtIfAbsent, String traceIdIfAbsent,
            String spanIdIfAbsent, String requestIdIfAbsent) throws IOException {
        Objects.requireNonNull(g, "g");
        Objects.requireNonNull(e, "e");
        if (g.getCharacterEscapes() != Json.ESCAPES) {
            g.setCharacterEscapes(Json.ESCAPES);
        }
        g.writeStartObject();
        char[] scratch = SCRATCH.get();
        g.writeFieldName("id");
        g.writeString(scratch, 0, Texts.uuid(e.eventId(), scratch, 0));
        Instant at = e.occurredAt().orElse(occurredAtIfAbsent);
        if (at != null) {
            int end = Texts.instant(at, scratch, 0);
            if (end < 0) {
                g.writeStringField("occurredAt", at.toString());
            } else {
                g.writeFieldName("occurredAt");
                g.writeString(scratch, 0, end);
            }
        }
        g.writeStringField("action", e.action());
        g.writeStringField("category", e.category().name());
        g.writeStringField("severity", e.severity().name());
        g.writeFieldName("actor");
        writeActor(g, e.actor());
        if (!e.targets().isEmpty()) {
            g.writeArrayFieldStart("targets");
            for (Target t : e.targets()) {
                g.writeStartObject();
                g.writeStringField("type", t.type());
                g.writeStringField("id", t.id());
                writeOptional(g, "name", t.name());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        Outcome outcome = e.outcome();
        g.writeObjectFieldStart("outcome");
        g.writeStringField("status", outcome.status().name());
        writeOptional(g, "reasonCode", outcome.reasonCode());
        writeOptional(g, "reason", outcome.reason());
        g.writeEndObject();
        if (e.origin().isPresent()) {
            Origin origin = e.origin().get();
            g.writeObjectFieldStart("origin");
            writeOptional(g, "ip", origin.ip());
            writeOptional(g, "userAgent", origin.userAgent());
            writeOptional(g, "channel", origin.channel().map(Channel::name));
            writeOptional(g, "host", origin.host());
            g.writeEndObject();
        }
        writeOptional(g, "traceId", or(e.traceId(), traceIdIfAbsent, "traceIdIfAbsent"));
        writeOptional(g, "spanId", or(e.spanId(), spanIdIfAbsent, "spanIdIfAbsent"));
        writeOptional(g, "requestId", or(e.requestId(), requestIdIfAbsent, "requestIdIfAbsent"));
        writeOptional(g, "correlationId", e.correlationId());
        writeOptional(g, "tenantId", e.tenantId());
        writeOptional(g, "message", e.message());
        if (!e.attributes().isEmpty()) {
            g.writeFieldName("attributes");
            writeValue(g, e.attributes());
        }
        g.writeEndObject();
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
        g.writeStringField("id", a.id());
        g.writeStringField("type", a.type().name());
        writeOptional(g, "displayName", a.displayName());
        writeOptional(g, "sessionId", a.sessionId());
        if (a.onBehalfOf().isPresent()) {
            g.writeFieldName("onBehalfOf");
            writeActor(g, a.onBehalfOf().get());
        }
        g.writeEndObject();
    }

    private static void writeOptional(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
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
