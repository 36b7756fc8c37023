package dev.auditlog;

import dev.auditlog.spi.SafeText;

import java.util.Objects;

/**
 * Shared argument checks and error-message formatting for the event model.
 *
 * <p>Messages follow one pattern: {@code <field> must <rule>, was "<value>"}. The offending value is shortened
 * to {@value SafeText#SHOWN_CHARS} chars (plus {@code …(N chars)}) and escaped, so an exception message can never carry
 * a raw newline or other control character into a log.
 *
 */
final class Validation {

    private Validation() {
    }

    /** Rejects {@code null} with a {@link NullPointerException} naming the argument. */
    static <T> T notNull(T value, String name) {
        return Objects.requireNonNull(value, name);
    }

    /**
     * Checks that a string is non-null, non-empty and well-formed UTF-16, returning it unchanged.
     *
     * @throws NullPointerException if {@code value} is null (message: {@code field})
     * @throws IllegalArgumentException if empty or it contains a lone surrogate
     */
    static String text(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty, was \"\"");
        }
        if (!isPlain(value)) {
            wellFormed(field, value);
            noNul(field, value);
        }
        return value;
    }

    /** Whether {@code s} holds no surrogate and no U+0000, so is certainly well-formed and NUL-free: one pass. */
    static boolean isPlain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rejects U+0000: PostgreSQL cannot store it in text (so a store would refuse the record forever), and it is
     * never meaningful in audit data. One rule for every store: see docs/FORMAT.md §4.
     */
    static void noNul(String field, String value) {
        int at = value.indexOf('\u0000');
        if (at >= 0) {
            throw new IllegalArgumentException(field + " must not contain U+0000 (NUL): no store keeps it; found at"
                    + " index " + at + ", was " + describe(value));
        }
    }

    /** The earliest instant every store holds: MariaDB's DATETIME starts at year 1000. */
    static final java.time.Instant MIN_INSTANT = java.time.Instant.parse("1000-01-01T00:00:00Z");

    /** The latest instant every store holds (and RFC 3339 writes with four-digit years). */
    static final java.time.Instant MAX_INSTANT = java.time.Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Checks that an instant lies within years 1000-9999 UTC. */
    static java.time.Instant instant(String field, java.time.Instant value) {
        Objects.requireNonNull(value, field);
        if (value.isBefore(MIN_INSTANT) || value.isAfter(MAX_INSTANT)) {
            throw new IllegalArgumentException(field + " must lie within years 1000-9999 UTC (" + MIN_INSTANT + " to "
                    + MAX_INSTANT + "), the range every store holds, was " + value);
        }
        return value;
    }

    /** Like {@link #text(String, String)} and additionally enforces a maximum length in chars. */
    static String text(String field, String value, int maxLength, String limitName) {
        text(field, value);
        maxLength(field, value, maxLength, limitName);
        return value;
    }

    /** Enforces a maximum length in UTF-16 chars; {@code limitName} names the configurable limit. */
    static void maxLength(String field, String value, int maxLength, String limitName) {
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength + " chars ("
                    + limitName + "), was " + describe(value));
        }
    }

    /**
     * Whether {@code s} matches {@code [a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*} (with {@code dash}, {@code -} may follow
     * the first letter of a segment too): {@link AuditEvent#ACTION_REGEX} and {@link Target#TYPE_REGEX}, by hand,
     * because a regex match costs more than the rest of building an event.
     */
    static boolean isDottedName(String s, boolean dash) {
        boolean segmentStart = true;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (segmentStart) {
                if (c < 'a' || c > 'z') {
                    return false;
                }
                segmentStart = false;
            } else if (c == '.') {
                segmentStart = true;
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || dash && c == '-')) {
                return false;
            }
        }
        return !segmentStart;
    }

    /** Whether {@code s} matches {@link Attributes#NAME_REGEX}, {@code [A-Za-z][A-Za-z0-9_.-]*}, by hand. */
    static boolean isAttributeName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
            return false;
        }
        for (int i = 1, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Rejects strings containing an unpaired UTF-16 surrogate. */
    static void wellFormed(String field, String value) {
        int index = SafeText.loneSurrogateIndex(value);
        if (index >= 0) {
            throw new IllegalArgumentException(field + " must be well-formed UTF-16: lone surrogate at index "
                    + index + ", was " + describe(value));
        }
    }

    /** See {@link SafeText#describe(String)}. */
    static String describe(String value) {
        return SafeText.describe(value);
    }

    /** See {@link SafeText#escape(CharSequence)}. */
    static String escape(CharSequence s) {
        return SafeText.escape(s);
    }

    /** A required builder field that was never set is a state error: {@code "action is required"}. */
    static void required(Object value, String field) {
        if (value == null) {
            throw new IllegalStateException(field + " is required");
        }
    }

    /** Checks an actor's ids and names (and those it acts for) against the limits. */
    static void actorWithin(String path, Actor a, AuditLimits limits) {
        within(path, ".id", a.id(), limits.maxIdLength(), "maxIdLength");
        within(path, ".displayName", a.displayNameOrNull(), limits.maxNameLength(), "maxNameLength");
        within(path, ".sessionId", a.sessionIdOrNull(), limits.maxIdLength(), "maxIdLength");
        Actor next = a.onBehalfOfOrNull();
        if (next != null) {
            actorWithin(path + ".onBehalfOf", next, limits);
        }
    }

    /**
     * {@link #maxLength} of an optional value (null: absent) in field {@code field + suffix}; the name is put together
     * only when the check fails, so that a valid event costs no string.
     */
    static void within(String field, String suffix, String value, int maxLength, String limitName) {
        if (value != null && value.length() > maxLength) {
            maxLength(suffix.isEmpty() ? field : field + suffix, value, maxLength, limitName);
        }
    }
}
