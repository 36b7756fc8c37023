package dev.auditlog.spi;

/**
 * Makes values safe to quote in an error message or a log line: shortened, quoted and escaped, so that no message
 * carries a raw line break, control or bidi character into a log (CWE-117), and a long value cannot flood it.
 * Sinks use it for every value they quote; never quote a secret at all.
 */
public final class SafeText {
    /** How many chars of a value {@link #describe} shows at most. */
    public static final int SHOWN_CHARS = 64;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SafeText() {
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
