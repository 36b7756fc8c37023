package dev.auditlog.protect;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob pattern: {@code *} matches any run of characters (dots included), {@code ?} one character; everything else
 * matches itself. A pattern without wildcards is an exact match.
 */
final class Glob {
    private final String pattern;
    private final Pattern regex;

    private Glob(String pattern) {
        this.pattern = pattern;
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
            this.regex = null;
        } else {
            StringBuilder b = new StringBuilder();
            StringBuilder lit = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*' || c == '?') {
                    if (lit.length() > 0) {
                        b.append(Pattern.quote(lit.toString()));
                        lit.setLength(0);
                    }
                    b.append(c == '*' ? ".*" : ".");
                } else {
                    lit.append(c);
                }
            }
            if (lit.length() > 0) {
                b.append(Pattern.quote(lit.toString()));
            }
            this.regex = Pattern.compile(b.toString(), Pattern.DOTALL);
        }
    }

    /**
     * @throws IllegalArgumentException when empty or longer than 256 chars; the message names {@code setting}
     */
    public static Glob of(String setting, String pattern) {
        Objects.requireNonNull(pattern, setting);
        if (pattern.isEmpty() || pattern.length() > 256) {
            throw new IllegalArgumentException(setting + " must be a glob pattern of 1-256 chars, was \"" + pattern + "\"");
        }
        return new Glob(pattern);
    }

    public boolean matches(String s) {
        return regex == null ? pattern.equals(s) : regex.matcher(s).matches();
    }

    /** The literal text before the first wildcard. */
    public String literalPrefix() {
        int i = 0;
        while (i < pattern.length() && pattern.charAt(i) != '*' && pattern.charAt(i) != '?') {
            i++;
        }
        return pattern.substring(0, i);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
