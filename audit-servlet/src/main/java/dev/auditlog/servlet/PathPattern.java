package dev.auditlog.servlet;

/**
 * A Servlet URL pattern (Servlet 6, 12.2), matched against the path within the application (servlet path plus
 * path info): exact {@code /login}, prefix {@code /api/*} (also matching {@code /api} itself), extension
 * {@code *.do}, or {@code /*} for everything.
 */
final class PathPattern {
    private enum Kind { EXACT, PREFIX, EXTENSION }

    private final Kind kind;
    private final String value;
    private final String text;

    private PathPattern(Kind kind, String value, String text) {
        this.kind = kind;
        this.value = value;
        this.text = text;
    }

    /**
     * Parses a pattern for the setting {@code field}.
     *
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    static PathPattern parse(String field, String pattern) {
        if (pattern == null) {
            throw new NullPointerException(field);
        }
        String rule = field + " must be a Servlet URL pattern: /exact, /prefix/*, /* or *.extension, without"
                + " other '*' or control characters, was \"" + pattern.replaceAll("\\p{Cntrl}", "?") + "\"";
        if (pattern.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(rule);
        }
        if (pattern.startsWith("*.") && pattern.length() > 2 && pattern.indexOf('*', 1) < 0
                && pattern.indexOf('/') < 0) {
            return new PathPattern(Kind.EXTENSION, pattern.substring(1), pattern);
        }
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException(rule);
        }
        if (pattern.endsWith("/*") && pattern.indexOf('*') == pattern.length() - 1) {
            return new PathPattern(Kind.PREFIX, pattern.substring(0, pattern.length() - 2), pattern);
        }
        if (pattern.indexOf('*') >= 0) {
            throw new IllegalArgumentException(rule);
        }
        return new PathPattern(Kind.EXACT, pattern, pattern);
    }

    boolean matches(String path) {
        return switch (kind) {
            case EXACT -> path.equals(value);
            case PREFIX -> path.startsWith(value) && (path.length() == value.length()
                    || path.charAt(value.length()) == '/') || value.isEmpty();
            case EXTENSION -> path.endsWith(value) && path.lastIndexOf('/') < path.length() - value.length();
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
