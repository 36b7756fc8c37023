package dev.auditlog.integrity;

import java.util.Base64;
import java.util.Objects;

/** Package-private argument validation and encoding helpers. */
final class Checks {

    private Checks() {
    }

    /** Rejects null with a NullPointerException naming the argument. */
    static <T> T notNull(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    /** Requires a non-null array of exactly {@code length} bytes and returns a copy of it. */
    static byte[] copyOfLength(byte[] value, int length, String name) {
        notNull(value, name);
        if (value.length != length) {
            throw new IllegalArgumentException(
                    name + " must be exactly " + length + " bytes, got " + value.length + " bytes");
        }
        return value.clone();
    }

    /** Requires {@code value >= 0}. */
    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Standard (RFC 4648 section 4) base64 with padding. */
    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Strictly decodes standard padded base64: the input must be the canonical encoding of its decoded bytes
     * (correct padding, zero trailing bits, no line breaks or other characters).
     *
     * @throws IllegalArgumentException naming {@code field} if the value is not canonical base64
     */
    static byte[] strictBase64(String value, String field) {
        notNull(value, field);
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be standard base64 with padding, got \""
                    + abbreviate(value) + "\": " + e.getMessage(), e);
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(value)) {
            throw new IllegalArgumentException(field + " must be canonical standard base64 with padding, got \""
                    + abbreviate(value) + "\"");
        }
        return decoded;
    }

    /** Shortens a value for inclusion in an exception message. */
    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }

    /**
     * Returns the index of the first character that is an ASCII control character other than newline, or an
     * unpaired surrogate (which cannot be encoded as UTF-8); -1 if there is none.
     */
    static int firstInvalidNoteChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Describes the character at {@code index} as {@code U+XXXX at index N}. */
    static String describeChar(String s, int index) {
        return String.format("U+%04X at index %d", (int) s.charAt(index), index);
    }
}
