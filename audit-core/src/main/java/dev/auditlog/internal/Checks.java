package dev.auditlog.internal;

import java.util.Objects;

/**
 * Shared argument checks and error-message formatting for the event model.
 *
 * <p>Messages follow one pattern: {@code <field> must <rule>, was "<value>"}. The offending value is shortened
 * to {@value #SHOWN_CHARS} chars (plus {@code …(N chars)}) and escaped, so an exception message can never carry
 * a raw newline or other control character into a log.
 *
 * <p>Internal API: not exported from the module.
 */
public final class Checks {

    /** How many chars of an offending value an error message shows at most. */
    public static final int SHOWN_CHARS = 64;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Checks() {
    }

    /** Rejects {@code null} with a {@link NullPointerException} naming the argument. */
    public static <T> T notNull(T value, String name) {
        return Objects.requireNonNull(value, name);
    }

    /**
     * Checks that a string is non-null, non-empty and well-formed UTF-16, returning it unchanged.
     *
     * @throws NullPointerException if {@code value} is null (message: {@code field})
     * @throws IllegalArgumentException if empty or it contains a lone surrogate
     */
    public static String text(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty, was \"\"");
        }
        wellFormed(field, value);
        return value;
    }

    /** Like {@link #text(String, String)} and additionally enforces a maximum length in chars. */
    public static String text(String field, String value, int maxLength, String limitName) {
        text(field, value);
        maxLength(field, value, maxLength, limitName);
        return value;
    }

    /** Enforces a maximum length in UTF-16 chars; {@code limitName} names the configurable limit. */
    public static void maxLength(String field, String value, int maxLength, String limitName) {
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength + " chars ("
                    + limitName + "), was " + describe(value));
        }
    }

    /** Rejects strings containing an unpaired UTF-16 surrogate. */
    public static void wellFormed(String field, String value) {
        int index = loneSurrogateIndex(value);
        if (index >= 0) {
            throw new IllegalArgumentException(field + " must be well-formed UTF-16: lone surrogate at index "
                    + index + ", was " + describe(value));
        }
    }

    /** Returns the index of the first unpaired surrogate in {@code s}, or -1 when {@code s} is well-formed. */
    public static int loneSurrogateIndex(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Quotes, escapes and shortens a value for inclusion in an error message:
     * {@code "abc"} or {@code "first 64 chars…(300 chars)"}.
     */
    public static String describe(String value) {
        if (value == null) {
            return "null";
        }
        int n = value.length();
        if (n <= SHOWN_CHARS) {
            return '"' + escape(value) + '"';
        }
        int cut = SHOWN_CHARS;
        if (Character.isHighSurrogate(value.charAt(cut - 1)) && Character.isLowSurrogate(value.charAt(cut))) {
            cut--;
        }
        return '"' + escape(value.substring(0, cut)) + "…(" + n + " chars)\"";
    }

    /**
     * Escapes a string so that it is safe on one log line: quotes, backslashes, C0/C1 controls, DEL, line and
     * paragraph separators, bidi controls, BOM and lone surrogates become {@code \}-escapes.
     */
    public static String escape(CharSequence s) {
        int n = s.length();
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String rep = replacement(s, i, c);
            if (rep == null) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(n + 16);
                sb.append(s, 0, i);
            }
            sb.append(rep);
        }
        return sb == null ? s.toString() : sb.toString();
    }

    private static String replacement(CharSequence s, int i, char c) {
        switch (c) {
            case '"':
                return "\\\"";
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
            return unicodeEscape(c);
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? null : unicodeEscape(c);
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1)) ? null : unicodeEscape(c);
        }
        return null;
    }

    private static String unicodeEscape(char c) {
        return new String(new char[] {'\\', 'u', HEX[(c >> 12) & 0xF], HEX[(c >> 8) & 0xF], HEX[(c >> 4) & 0xF],
                HEX[c & 0xF]});
    }
}
