package dev.auditlog;

import java.util.Objects;

/**
 * A value marked as sensitive personal data, for use as an attribute value
 * ({@link dev.auditlog.AuditEvent.Builder#attribute(String, Sensitive)}). An {@link dev.auditlog.AuditLog} replaces
 * it before the record is serialised, according to its {@link Redaction#piiAction() PII action} (mask, hash or
 * drop); an event holding an unredacted {@code Sensitive} cannot be serialised by anything else.
 *
 * <p>{@link #toString()} never shows the value. Immutable; equal when the values are equal.
 */
public final class Sensitive {
    private final String value;

    private Sensitive(String value) {
        this.value = value;
    }

    /**
     * Marks {@code value} as personal data (name, e-mail address, phone number, ...).
     *
     * @throws NullPointerException     when {@code value} is null
     * @throws IllegalArgumentException when it is empty, not well-formed UTF-16 or holds U+0000 (the message does not
     *     show it)
     */
    public static Sensitive pii(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("Sensitive.pii value must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("Sensitive.pii value must not contain U+0000 (NUL): no store keeps"
                        + " it; found at index " + i + " (value not shown)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("Sensitive.pii value must be well-formed UTF-16: lone surrogate"
                        + " at index " + i + " (value not shown)");
            }
        }
        return new Sensitive(value);
    }

    /**
     * The value in clear, for redaction code. Do not log it; the point of this type is that nothing else shows it.
     */
    public String reveal() {
        return value;
    }

    /** The number of UTF-16 chars of the value. */
    public int length() {
        return value.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sensitive s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** {@code Sensitive[pii]}: never the value. */
    @Override
    public String toString() {
        return "Sensitive[pii]";
    }
}
