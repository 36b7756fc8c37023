package dev.auditlog.cli;

import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms people type for durations and points in time, registered for every command by {@link Main#commandLine}.
 * A value that does not parse is a usage error whose message names the value and gives examples; it never carries a
 * Java exception's text.
 */
final class Converters {
    /** Examples shown in error messages and option descriptions. */
    static final String DURATION_EXAMPLES = "15m, 1h, 2d, PT1H";
    static final String INSTANT_EXAMPLES = "2026-12-01, 2026-12-01T10:00, 2026-12-01T10:00:00Z,"
            + " 2026-12-01T10:00:00+01:00";

    /** One or more {@code <number><unit>} parts: {@code 1h}, {@code 1h30m}, {@code 500ms}. */
    private static final Pattern SIMPLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Converters() {
    }

    /** Registers the converters on a command and all its subcommands, present and added later. */
    static CommandLine register(CommandLine cl) {
        return cl.registerConverter(Duration.class, Converters::duration)
                .registerConverter(Instant.class, Converters::instant);
    }

    /**
     * A duration: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d}, combinations such as
     * {@code 1h30m}, or ISO-8601 ({@code PT1H}, {@code P2D}); never negative.
     */
    static Duration duration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (SIMPLE.matcher(s).matches()) {
                Duration d = Duration.ZERO;
                Matcher m = PART.matcher(s);
                while (m.find()) {
                    long n = Long.parseLong(m.group(1));
                    d = d.plus(switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    });
                }
                return d;
            }
            if (s.startsWith("p")) { // no sign: a negative duration means nothing to any option here
                Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (ArithmeticException | DateTimeException | NumberFormatException e) {
            // too large, or not ISO-8601 after all: reported below like any other bad value
        }
        throw new TypeConversionException(quote(text) + " is not a duration (examples: " + DURATION_EXAMPLES + ")");
    }

    /**
     * A point in time: a date ({@code 2026-12-01}, the start of that day in UTC), a date and time without a zone
     * ({@code 2026-12-01T10:00}, UTC), or with an offset ({@code 2026-12-01T10:00:00Z},
     * {@code 2026-12-01T10:00:00+01:00}). A space may stand for the {@code T}.
     */
    static Instant instant(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) ", "$1T");
        try {
            if (!s.contains("T")) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (s.endsWith("Z") || s.matches(".*T.*[+-]\\d{2}(:?\\d{2})?(:?\\d{2})?$")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new TypeConversionException(quote(text) + " is not a date or time (examples: " + INSTANT_EXAMPLES
                    + "; without a zone it is UTC)");
        }
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
