package dev.auditlog.internal;

/** Helpers for error messages that quote caller input safely. */
public final class Strings {
    private static final int SHOWN = 64;

    private Strings() {
    }

    /** At most 64 characters of {@code s}, control characters escaped, with the full length when cut. */
    public static String shorten(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), SHOWN) + 16);
        int end = Math.min(s.length(), SHOWN);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (s.length() > SHOWN) {
            b.append("…(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }
}
