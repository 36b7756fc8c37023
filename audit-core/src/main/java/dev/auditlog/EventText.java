package dev.auditlog;

import java.util.List;
import java.util.Map;

/**
 * Renders an event for {@code toString()}: one escaped line, without secrets (secret-looking attribute names show
 * {@code ***}, {@link Sensitive} values {@code Sensitive[pii]}). Not a serialization format.
 */
final class EventText {
    private EventText() {
    }

    static String of(AuditEvent e) {
        StringBuilder sb = new StringBuilder("AuditEvent{eventId=").append(e.eventId());
        e.occurredAt().ifPresent(t -> sb.append(", occurredAt=").append(t));
        sb.append(", action=").append(e.action()).append(", category=").append(e.category())
                .append(", severity=").append(e.severity()).append(", actor=").append(e.actor());
        if (!e.targets().isEmpty()) {
            sb.append(", targets=").append(e.targets());
        }
        sb.append(", outcome=").append(e.outcome());
        e.origin().ifPresent(o -> sb.append(", origin=").append(o));
        appendText(sb, "traceId", e.traceId());
        appendText(sb, "spanId", e.spanId());
        appendText(sb, "requestId", e.requestId());
        appendText(sb, "correlationId", e.correlationId());
        appendText(sb, "tenantId", e.tenantId());
        appendText(sb, "message", e.message());
        if (!e.attributes().isEmpty()) {
            sb.append(", attributes=").append(Validation.escape(attributes(e.attributes())));
        }
        return sb.append('}').toString();
    }

    private static void appendText(StringBuilder sb, String name, java.util.Optional<String> value) {
        value.ifPresent(v -> sb.append(", ").append(name).append("=\"").append(Validation.escape(v)).append('"'));
    }

    static String attributes(Map<String, Object> attributes) {
        StringBuilder b = new StringBuilder();
        append(b, attributes);
        return b.toString();
    }

    private static void append(StringBuilder b, Object value) {
        if (value instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                String k = String.valueOf(e.getKey());
                b.append(k).append('=');
                if (SecretKeys.defaults().match(k) != null) {
                    b.append("***");
                } else {
                    append(b, e.getValue());
                }
            }
            b.append('}');
        } else if (value instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                append(b, l.get(i));
            }
            b.append(']');
        } else {
            b.append(value);
        }
    }
}
