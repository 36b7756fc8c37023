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

/** Reads the JSON form of an event (see {@code docs/FORMAT.md}); the other half of {@link EventJson}. */
final class EventJsonReader {
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Limits used by {@link #fromJson(byte[])}: every size limit at its maximum, character rules unchanged. */
    public static final AuditLimits LENIENT_LIMITS = AuditLimits.builder()
            .maxIdLength(Integer.MAX_VALUE)
            .maxNameLength(Integer.MAX_VALUE)
            .maxTextLength(Integer.MAX_VALUE)
            .maxUserAgentLength(Integer.MAX_VALUE)
            .maxAttributes(Integer.MAX_VALUE)
            .maxAttributeDepth(AuditLimits.MAX_ATTRIBUTE_DEPTH)
            .maxAttributeElements(Integer.MAX_VALUE)
            .maxAttributeStringLength(Integer.MAX_VALUE)
            .maxAttributeNameLength(Integer.MAX_VALUE)
            .maxTargets(Integer.MAX_VALUE)
            .maxRecordBytes(AuditLimits.MAX_RECORD_BYTES)
            .build();

    private EventJsonReader() {
    }

    /**
     * Parses one event written by {@link #toJson(AuditEvent)} under {@link #LENIENT_LIMITS}.
     *
     * @throws IOException if the bytes are not exactly one well-formed event object
     * @throws IllegalArgumentException if a value breaks a validation rule
     */
    public static AuditEvent fromJson(byte[] utf8) throws IOException {
        Objects.requireNonNull(utf8, "utf8");
        try (JsonParser p = Json.FACTORY.createParser(utf8)) {
            AuditEvent event = read(p, LENIENT_LIMITS);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the event object");
            }
            return event;
        }
    }

    /**
     * Reads one event object. The parser must be positioned at its {@code START_OBJECT} or on the token just
     * before it (e.g. not yet started, or the end of the previous record); on return it is positioned at the
     * matching {@code END_OBJECT}, so records can be read one after another from one parser.
     *
     * @throws IOException on malformed JSON, unknown/duplicate fields, wrong token types or missing fields
     * @throws IllegalArgumentException if a value breaks a validation rule or one of {@code limits}
     */
    public static AuditEvent read(JsonParser p, AuditLimits limits) throws IOException {
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(limits, "limits");
        JsonToken token = p.currentToken();
        if (token != JsonToken.START_OBJECT) {
            token = p.nextToken();
        }
        expect(p, token, JsonToken.START_OBJECT, "event");
        AuditEvent.Builder b = AuditEvent.builder(limits);
        Set<String> seen = new HashSet<>();
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = field(p, seen, "event");
            p.nextToken();
            switch (name) {
                case "id":
                    b.eventId(uuid(p));
                    break;
                case "occurredAt":
                    b.occurredAt(instant(p));
                    break;
                case "action":
                    b.action(string(p, "action"));
                    break;
                case "category":
                    b.category(enumValue(p, Category.class, "category"));
                    break;
                case "severity":
                    b.severity(enumValue(p, Severity.class, "severity"));
                    break;
                case "actor":
                    b.actor(readActor(p, "actor"));
                    break;
                case "targets":
                    expect(p, p.currentToken(), JsonToken.START_ARRAY, "targets");
                    List<Target> targets = new ArrayList<>();
                    while (nonNull(p, p.nextToken(), "targets") != JsonToken.END_ARRAY) {
                        targets.add(readTarget(p));
                    }
                    b.targets(targets);
                    break;
                case "outcome":
                    b.outcome(readOutcome(p));
                    break;
                case "origin":
                    b.origin(readOrigin(p));
                    break;
                case "traceId":
                    b.traceId(string(p, "traceId"));
                    break;
                case "spanId":
                    b.spanId(string(p, "spanId"));
                    break;
                case "requestId":
                    b.requestId(string(p, "requestId"));
                    break;
                case "correlationId":
                    b.correlationId(string(p, "correlationId"));
                    break;
                case "tenantId":
                    b.tenantId(string(p, "tenantId"));
                    break;
                case "message":
                    b.message(string(p, "message"));
                    break;
                case "attributes":
                    readAttributes(p, b);
                    break;
                default:
                    throw unknown(p, "event", name);
            }
        }
        expect(p, token, JsonToken.END_OBJECT, "event");
        require(p, seen, "event", "id", "action", "category", "severity", "actor", "outcome");
        return b.build();
    }

    private static Actor readActor(JsonParser p, String path) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, path);
        Actor.Builder b = Actor.builder();
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = field(p, seen, path);
            p.nextToken();
            switch (name) {
                case "id":
                    b.id(string(p, path + ".id"));
                    break;
                case "type":
                    b.type(enumValue(p, ActorType.class, path + ".type"));
                    break;
                case "displayName":
                    b.displayName(string(p, path + ".displayName"));
                    break;
                case "sessionId":
                    b.sessionId(string(p, path + ".sessionId"));
                    break;
                case "onBehalfOf":
                    b.onBehalfOf(readActor(p, path + ".onBehalfOf"));
                    break;
                default:
                    throw unknown(p, path, name);
            }
        }
        expect(p, token, JsonToken.END_OBJECT, path);
        require(p, seen, path, "id", "type");
        return b.build();
    }

    private static Target readTarget(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "targets[]");
        String type = null;
        String id = null;
        String name = null;
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = field(p, seen, "target");
            p.nextToken();
            switch (field) {
                case "type":
                    type = string(p, "target.type");
                    break;
                case "id":
                    id = string(p, "target.id");
                    break;
                case "name":
                    name = string(p, "target.name");
                    break;
                default:
                    throw unknown(p, "target", field);
            }
        }
        expect(p, token, JsonToken.END_OBJECT, "target");
        require(p, seen, "target", "type", "id");
        return name == null ? Target.of(type, id) : Target.of(type, id, name);
    }

    private static Outcome readOutcome(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "outcome");
        OutcomeStatus status = null;
        String reasonCode = null;
        String reason = null;
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = field(p, seen, "outcome");
            p.nextToken();
            switch (field) {
                case "status":
                    status = enumValue(p, OutcomeStatus.class, "outcome.status");
                    break;
                case "reasonCode":
                    reasonCode = string(p, "outcome.reasonCode");
                    break;
                case "reason":
                    reason = string(p, "outcome.reason");
                    break;
                default:
                    throw unknown(p, "outcome", field);
            }
        }
        expect(p, token, JsonToken.END_OBJECT, "outcome");
        require(p, seen, "outcome", "status");
        return Outcome.of(status, Optional.ofNullable(reasonCode), Optional.ofNullable(reason));
    }

    private static Origin readOrigin(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "origin");
        Origin.Builder b = Origin.builder();
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = field(p, seen, "origin");
            p.nextToken();
            switch (field) {
                case "ip":
                    b.ip(string(p, "origin.ip"));
                    break;
                case "userAgent":
                    b.userAgent(string(p, "origin.userAgent"));
                    break;
                case "channel":
                    b.channel(enumValue(p, Channel.class, "origin.channel"));
                    break;
                case "host":
                    b.host(string(p, "origin.host"));
                    break;
                default:
                    throw unknown(p, "origin", field);
            }
        }
        expect(p, token, JsonToken.END_OBJECT, "origin");
        return b.build();
    }

    private static void readAttributes(JsonParser p, AuditEvent.Builder b) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "attributes");
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = field(p, seen, "attributes");
            String path = "attributes." + SafeText.escape(name);
            switch (nonNull(p, p.nextToken(), path)) {
                case START_OBJECT:
                    b.attribute(name, readMap(p, path));
                    break;
                case START_ARRAY:
                    b.attribute(name, readList(p, path));
                    break;
                case VALUE_STRING:
                    b.attribute(name, p.getText());
                    break;
                case VALUE_TRUE:
                case VALUE_FALSE:
                    b.attribute(name, p.getBooleanValue());
                    break;
                default:
                    b.attribute(name, integral(p, path));
                    break;
            }
        }
        expect(p, token, JsonToken.END_OBJECT, "attributes");
    }

    private static Object readValue(JsonParser p, String path) throws IOException {
        switch (nonNull(p, p.currentToken(), path)) {
            case START_OBJECT:
                return readMap(p, path);
            case START_ARRAY:
                return readList(p, path);
            case VALUE_STRING:
                return p.getText();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return p.getBooleanValue();
            default:
                return integral(p, path);
        }
    }

    private static Map<String, Object> readMap(JsonParser p, String path) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = field(p, seen, path);
            p.nextToken();
            map.put(key, readValue(p, path + "." + SafeText.escape(key)));
        }
        expect(p, token, JsonToken.END_OBJECT, path);
        return map;
    }

    private static List<Object> readList(JsonParser p, String path) throws IOException {
        List<Object> list = new ArrayList<>();
        while (nonNull(p, p.nextToken(), path) != JsonToken.END_ARRAY) {
            list.add(readValue(p, path + "[" + list.size() + "]"));
        }
        return list;
    }

    private static long integral(JsonParser p, String path) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                return p.getLongValue();
            }
            throw new JsonParseException(p, path + " must be an integer that fits in a long");
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            throw new JsonParseException(p, path + " must be an integer that fits in a long, was a fraction");
        }
        throw new JsonParseException(p, path + " must be a string, integer, boolean, array or object, was "
                + describe(token));
    }

    private static JsonToken nonNull(JsonParser p, JsonToken token, String path) throws IOException {
        if (token == null) {
            throw new JsonParseException(p, path + ": unexpected end of input");
        }
        return token;
    }

    private static String field(JsonParser p, Set<String> seen, String path) throws IOException {
        String name = p.currentName();
        if (!seen.add(name)) {
            throw new JsonParseException(p, path + " has duplicate field " + SafeText.describe(name));
        }
        return name;
    }

    private static String string(JsonParser p, String field) throws IOException {
        expect(p, p.currentToken(), JsonToken.VALUE_STRING, field);
        return p.getText();
    }

    private static UUID uuid(JsonParser p) throws IOException {
        String text = string(p, "id");
        if (!CANONICAL_UUID.matcher(text).matches()) {
            throw new JsonParseException(p, "id must be a canonical lower-case UUID, was " + SafeText.describe(text));
        }
        return UUID.fromString(text);
    }

    private static Instant instant(JsonParser p) throws IOException {
        String text = string(p, "occurredAt");
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            instant = null;
        }
        if (instant == null || !instant.toString().equals(text)) {
            throw new JsonParseException(p, "occurredAt must be a canonical ISO-8601 UTC instant "
                    + "(Instant.toString()), was " + SafeText.describe(text));
        }
        return instant;
    }

    private static <E extends Enum<E>> E enumValue(JsonParser p, Class<E> type, String field) throws IOException {
        String text = string(p, field);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        throw new JsonParseException(p, field + " must be one of " + List.of(type.getEnumConstants()) + ", was "
                + SafeText.describe(text));
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String field) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(p, field + " must be " + describe(expected) + ", was " + describe(actual));
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        switch (token) {
            case START_OBJECT:
                return "a JSON object";
            case END_OBJECT:
                return "the end of a JSON object";
            case START_ARRAY:
                return "a JSON array";
            case END_ARRAY:
                return "the end of a JSON array";
            case VALUE_STRING:
                return "a JSON string";
            case FIELD_NAME:
                return "a field";
            case VALUE_NULL:
                return "null";
            default:
                return token.name();
        }
    }

    private static JsonParseException unknown(JsonParser p, String path, String name) {
        return new JsonParseException(p, path + " has unknown field " + SafeText.describe(name));
    }

    private static void require(JsonParser p, Set<String> seen, String path, String... names)
            throws IOException {
        for (String name : names) {
            if (!seen.contains(name)) {
                throw new JsonParseException(p, path + " is missing required field \"" + name + "\"");
            }
        }
    }
}
