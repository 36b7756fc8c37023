package dev.auditlog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The size of an event's stored record line, computed from the event while it is validated, without serialising
 * it: the same bytes {@code EventJson} writes (field order, escapes, UTF-8), plus room for the record envelope and
 * for the fields the log fills in. A test checks the computation against the real serialiser byte for byte.
 *
 * <p>Two passes: a cheap upper bound ({@link #bound}: every char as a 6-byte escape), and the exact count only when
 * the bound exceeds the limit, so an ordinary event (and every record a reader re-validates) costs one walk over
 * its values and none over their chars.
 */
final class RecordSize {

    /**
     * The most a record line adds around its event: {@code {"v":1,"log":"<128>","seq":<19>,"sealedAt":"<30>",
     * "type":"event","event":} before it, {@code ,"chain":"<64 hex>"}} after.
     */
    static final int ENVELOPE = "{\"v\":1,\"log\":\"".length() + 128 + "\",\"seq\":".length() + 19
            + ",\"sealedAt\":\"".length() + 30 + "\",\"type\":\"event\",\"event\":".length()
            + ",\"chain\":\"\"}".length() + 64;

    /** The most an absent id the log may fill in from the MDC adds: 256 chars of at most 6 bytes, name, quotes. */
    private static final int MDC_ID = 256 * 6 + ",\"requestId\":\"\"".length();

    /** The most an absent occurredAt the log fills in adds. */
    private static final int OCCURRED_AT = ",\"occurredAt\":\"\"".length() + 30;

    /** What the redaction of a {@link Sensitive} value may become at most: {@code hmac-sha256:<64 hex>}. */
    private static final int SENSITIVE_MIN = 76;

    private final boolean exact;
    private String largestField;
    private long largestSize = -1;

    private RecordSize(boolean exact) {
        this.exact = exact;
    }

    /**
     * Checks the event against {@link AuditLimits#maxRecordBytes()}.
     *
     * @throws IllegalArgumentException naming the size, the limit and the largest field when it is too big
     */
    static void check(AuditEvent e, AuditLimits limits) {
        long max = limits.maxRecordBytes();
        if (bound(e) <= max) {
            return;
        }
        RecordSize exactSize = new RecordSize(true);
        long size = exactSize.record(e);
        if (size > max) {
            throw new IllegalArgumentException("event " + e.action() + " must make a stored record of at most " + max
                    + " bytes (maxRecordBytes; escapes count, e.g. \\u0001 is 6 bytes), was " + size
                    + " bytes; the largest field is " + exactSize.largestField + " (" + exactSize.largestSize
                    + " bytes)");
        }
    }

    /** The exact size of the event's record line at most, with room for what the log fills in. */
    static long recordBytes(AuditEvent e) {
        return new RecordSize(true).record(e);
    }

    /** The exact size of the event's JSON as written with nothing filled in; for tests. */
    /** Generously what one field adds besides its value: its name (at most 13 chars), quotes, colon and comma. */
    private static final int SLOT = 32;

    /**
     * A cheap upper bound of the record's size: every char as a 6-byte escape, every field as a {@link #SLOT}, and
     * everything the log may fill in. No object, no Optional, no string: this runs for every event built.
     */
    static long bound(AuditEvent e) {
        long n = ENVELOPE + OCCURRED_AT + 3L * MDC_ID + 16L * SLOT + 2 + 38 + 32 + 64; // id, occurredAt, enums
        n += 6L * e.action().length();
        for (Actor a = e.actor(); a != null; a = a.onBehalfOfOrNull()) {
            n += 6L * SLOT + 6L * (a.id().length() + length(a.displayNameOrNull()) + length(a.sessionIdOrNull()));
        }
        List<Target> targets = e.targets();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            n += 4L * SLOT + 6L * (t.type().length() + t.id().length() + length(t.nameOrNull()));
        }
        Outcome o = e.outcome();
        n += 4L * SLOT + 6L * (length(o.reasonCodeOrNull()) + length(o.reasonOrNull()));
        Origin origin = e.originOrNull();
        if (origin != null) {
            n += 5L * SLOT + 6L * (length(origin.ipOrNull()) + length(origin.userAgentOrNull())
                    + length(origin.hostOrNull()));
        }
        n += 6L * e.optionalTextChars();
        AttributeMap attributes = e.attributeMap();
        for (int i = 0; i < attributes.size(); i++) {
            n += SLOT + 6L * attributes.name(i).length() + valueBound(attributes.value(i));
        }
        return n;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static long valueBound(Object v) {
        if (v instanceof String s) {
            return 2 + 6L * s.length();
        }
        if (v instanceof Long || v instanceof Boolean) {
            return 20;
        }
        if (v instanceof Sensitive s) {
            return 2 + 6L * Math.max(s.length(), SENSITIVE_MIN);
        }
        long n = 2;
        if (v instanceof List<?> list) {
            for (Object element : list) {
                n += 1 + valueBound(element);
            }
        } else {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) v).entrySet()) {
                n += SLOT + 6L * ((String) entry.getKey()).length() + valueBound(entry.getValue());
            }
        }
        return n;
    }

    static long eventJsonBytes(AuditEvent e) {
        return new RecordSize(true).event(e);
    }

    private long record(AuditEvent e) {
        long n = ENVELOPE + event(e);
        if (e.occurredAt().isEmpty()) {
            n += OCCURRED_AT;
        }
        n += e.traceId().isPresent() ? 0 : MDC_ID;
        n += e.spanId().isPresent() ? 0 : MDC_ID;
        n += e.requestId().isPresent() ? 0 : MDC_ID;
        return n;
    }

    private long event(AuditEvent e) {
        long n = 2; // { }
        n += field("id", 38); // a quoted UUID
        if (e.occurredAt().isPresent()) {
            n += 1 + field("occurredAt", instant(e.occurredAt().get()));
        }
        n += 1 + field("action", str(e.action()));
        n += 1 + field("category", str(e.category().name()));
        n += 1 + field("severity", str(e.severity().name()));
        n += 1 + top("actor", name("actor") + actor(e.actor()));
        if (!e.targets().isEmpty()) {
            long t = name("targets") + 2 + (e.targets().size() - 1);
            for (Target target : e.targets()) {
                t += 2 + field("type", str(target.type())) + 1 + field("id", str(target.id()))
                        + optional("name", target.name());
            }
            n += 1 + top("targets", t);
        }
        Outcome o = e.outcome();
        n += 1 + top("outcome", name("outcome") + 2 + field("status", str(o.status().name()))
                + optional("reasonCode", o.reasonCode()) + optional("reason", o.reason()));
        if (e.origin().isPresent()) {
            Origin origin = e.origin().get();
            long inner = optional("ip", origin.ip()) + optional("userAgent", origin.userAgent())
                    + optional("channel", origin.channel().map(Channel::name)) + optional("host", origin.host());
            n += 1 + top("origin", name("origin") + 2 + Math.max(0, inner - 1)); // no comma before the first
        }
        n += topOptional("traceId", e.traceId());
        n += topOptional("spanId", e.spanId());
        n += topOptional("requestId", e.requestId());
        n += topOptional("correlationId", e.correlationId());
        n += topOptional("tenantId", e.tenantId());
        n += topOptional("message", e.message());
        AttributeMap attributes = e.attributeMap();
        if (!attributes.isEmpty()) {
            long a = name("attributes") + 2 + (attributes.size() - 1);
            for (int i = 0; i < attributes.size(); i++) {
                long one = name(attributes.name(i)) + value(attributes.value(i));
                if (exact && one > largestSize) { // only the exact pass names the largest field
                    note("attributes." + attributes.name(i), one);
                }
                a += one;
            }
            n += 1 + a;
        }
        return n;
    }

    private long actor(Actor a) {
        long n = 2 + field("id", str(a.id())) + 1 + field("type", str(a.type().name()))
                + optional("displayName", a.displayName()) + optional("sessionId", a.sessionId());
        if (a.onBehalfOf().isPresent()) {
            n += 1 + name("onBehalfOf") + actor(a.onBehalfOf().get());
        }
        return n;
    }

    private long value(Object v) {
        if (v instanceof String s) {
            return str(s);
        }
        if (v instanceof Long l) {
            return Long.toString(l).length();
        }
        if (v instanceof Boolean b) {
            return b ? 4 : 5;
        }
        if (v instanceof Sensitive s) {
            return 2 + 6L * Math.max(s.length(), SENSITIVE_MIN);
        }
        if (v instanceof List<?> list) {
            long n = 2 + Math.max(0, list.size() - 1);
            for (Object element : list) {
                n += value(element);
            }
            return n;
        }
        Map<?, ?> map = (Map<?, ?>) v;
        long n = 2 + Math.max(0, map.size() - 1);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            n += name((String) entry.getKey()) + value(entry.getValue());
        }
        return n;
    }

    private long top(String field, long size) {
        note(field, size);
        return size;
    }

    private long topOptional(String field, Optional<String> value) {
        return value.isPresent() ? top(field, optional(field, value)) : 0;
    }

    private void note(String field, long size) {
        if (size > largestSize) {
            largestSize = size;
            largestField = field;
        }
    }

    /** {@code ,"name":"value"} when present (the comma included), else 0. */
    private long optional(String field, Optional<String> value) {
        return value.isPresent() ? 1 + field(field, str(value.get())) : 0;
    }

    /** {@code "name":} plus a value of {@code valueBytes}. */
    private static long field(String field, long valueBytes) {
        return name(field) + valueBytes;
    }

    /** {@code "name":}; names are ASCII letters, digits and {@code _ . -}, written as they are. */
    private static long name(String field) {
        return field.length() + 3L;
    }

    /** A quoted string: the bound counts every char as 6 bytes; the exact count follows the writer's escapes. */
    private long str(String s) {
        if (!exact) {
            return 2 + 6L * s.length();
        }
        long n = 2;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) {
                    n += 1;
                } else if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
                    n += 2;
                } else {
                    n += 6; // backslash-u and four hex digits
                }
            } else if (c < 0x800) {
                n += 2;
            } else if (c == '\u2028' || c == '\u2029') {
                n += 6;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.fff|.ffffff|.fffffffff]Z}, quoted; years are within 1000-9999. */
    private static long instant(Instant t) {
        int nano = t.getNano();
        int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 4 : nano % 1000 == 0 ? 7 : 10;
        return 2 + 20 + fraction;
    }
}
