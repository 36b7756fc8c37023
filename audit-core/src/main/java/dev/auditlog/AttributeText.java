package dev.auditlog;

import java.util.List;
import java.util.Map;

/** Renders attribute values for {@code toString()} without secrets: secret-looking names show {@code ***}. */
final class AttributeText {
    private AttributeText() {
    }

    public static String attributes(Map<String, Object> attributes) {
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
