package dev.auditlog.spi;

import java.util.regex.Pattern;

/**
 * The rule for a log id, in one place: 1 to 128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or a
 * digit. The id is written unescaped into every record (see {@code docs/FORMAT.md}) and sinks use it as a file
 * or table key, so the rule is strict.
 */
public final class LogIds {
    /** The rule as a regular expression. */
    public static final String RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    private LogIds() {
    }

    /** Whether {@code logId} follows the rule; false for null. */
    public static boolean isValid(String logId) {
        return logId != null && PATTERN.matcher(logId).matches();
    }

    /**
     * Returns {@code logId} when it follows the rule.
     *
     * @throws NullPointerException     when it is null
     * @throws IllegalArgumentException when it breaks the rule; the message gives the rule and the (shortened) value
     */
    public static String check(String logId) {
        if (logId == null) {
            throw new NullPointerException("logId");
        }
        if (!PATTERN.matcher(logId).matches()) {
            throw new IllegalArgumentException("logId must match " + RULE + ", was " + describe(logId));
        }
        return logId;
    }

    private static String describe(String s) {
        StringBuilder b = new StringBuilder("\"");
        int n = Math.min(s.length(), 64);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append(s.length() > n ? "\"… (" + s.length() + " chars)" : "\"");
        return b.toString();
    }
}
