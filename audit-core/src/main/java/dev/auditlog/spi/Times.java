package dev.auditlog.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The one time form records carry (docs/FORMAT.md section 2): what Java's {@code Instant.toString()} writes for years
 * 0000-9999, {@code YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z}, with a real calendar date, and the shortest of
 * the three fraction lengths that holds the value exactly (no fraction when it is zero). Checked by hand: a verifier
 * reads millions of these.
 */
final class Times {
    private Times() {
    }

    /** @return why {@code b[from, to)} is not a canonical time, or null */
    static String canonicalProblem(byte[] b, int from, int to) {
        int n = to - from;
        if (n != 20 && n != 24 && n != 27 && n != 30) {
            return "must be YYYY-MM-DDTHH:MM:SSZ with 0, 3, 6 or 9 fraction digits (" + n + " characters)";
        }
        if (b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T' || b[from + 13] != ':'
                || b[from + 16] != ':' || b[to - 1] != 'Z' || (n > 20 && b[from + 19] != '.')) {
            return "must be YYYY-MM-DDTHH:MM:SS[.fraction]Z";
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return "is not a real UTC date and time";
        }
        if (n > 20) {
            int f = n - 21;
            int value = digits(b, from + 20, f);
            if (value < 0) {
                return "fraction must be digits";
            }
            // Instant.toString() writes 3 digits when the nanoseconds are whole milliseconds, 6 when whole
            // microseconds, else 9; never an all-zero fraction.
            boolean shortest = value != 0 && (f == 3 || (f == 6 && value % 1000 != 0)
                    || (f == 9 && value % 1000 != 0));
            if (!shortest) {
                return "fraction must have the fewest of 3, 6 or 9 digits that hold it exactly (none when zero)";
            }
        }
        return null;
    }

    /**
     * The instant a canonical time in {@code b[from, to)} stands for, or null when it is not canonical (the caller
     * falls back to {@link Instant#parse}, which also reads other forms). Without a formatter: {@code Instant.parse}
     * allocates about 2 KB per call, and sinks read two times per record.
     */
    static Instant parseCanonical(byte[] b, int from, int to) {
        if (canonicalProblem(b, from, to) != null) {
            return null;
        }
        long day = LocalDate.of(digits(b, from, 4), digits(b, from + 5, 2), digits(b, from + 8, 2)).toEpochDay();
        long seconds = day * 86_400L + digits(b, from + 11, 2) * 3600L + digits(b, from + 14, 2) * 60L
                + digits(b, from + 17, 2);
        int f = to - from - 21;
        int nanos = f <= 0 ? 0 : digits(b, from + 20, f) * (f == 3 ? 1_000_000 : f == 6 ? 1_000 : 1);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** {@link #parseCanonical(byte[], int, int)} of a string. */
    static Instant parseCanonical(String s) {
        if (s.length() > 30) {
            return null;
        }
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return parseCanonical(b, 0, b.length);
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static int digits(byte[] b, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
}
