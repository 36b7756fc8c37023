package dev.auditlog.spi;

import java.time.Instant;
import java.util.UUID;

/**
 * Writes instants and UUIDs as ASCII into caller buffers without allocating, producing exactly what
 * {@link Instant#toString()} and {@link UUID#toString()} produce (the bytes are hashed, so "almost" is not enough).
 */
final class Texts {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Texts() {
    }

    /**
     * Writes {@code t} as {@link Instant#toString()} does ({@code yyyy-MM-ddTHH:mm:ss[.fff|.ffffff|.fffffffff]Z})
     * from {@code pos}; returns the end, or -1 for years outside 0000–9999 (use {@code toString()} then). Needs 30
     * bytes of room.
     */
    static int instant(Instant t, byte[] out, int pos) {
        long epochSecond = t.getEpochSecond();
        int nano = t.getNano();
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097L;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return -1;
        }
        pos = digits(out, pos, (int) year, 4);
        out[pos++] = '-';
        pos = digits(out, pos, month, 2);
        out[pos++] = '-';
        pos = digits(out, pos, day, 2);
        out[pos++] = 'T';
        pos = digits(out, pos, secondOfDay / 3600, 2);
        out[pos++] = ':';
        pos = digits(out, pos, secondOfDay / 60 % 60, 2);
        out[pos++] = ':';
        pos = digits(out, pos, secondOfDay % 60, 2);
        if (nano != 0) {
            out[pos++] = '.';
            if (nano % 1_000_000 == 0) {
                pos = digits(out, pos, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                pos = digits(out, pos, nano / 1000, 6);
            } else {
                pos = digits(out, pos, nano, 9);
            }
        }
        out[pos++] = 'Z';
        return pos;
    }

    /** Writes {@code u} as {@link UUID#toString()} does (36 chars) from {@code pos}; returns the end. */
    static int uuid(UUID u, byte[] out, int pos) {
        long hi = u.getMostSignificantBits();
        long lo = u.getLeastSignificantBits();
        pos = hex(out, pos, hi >>> 32, 8);
        out[pos++] = '-';
        pos = hex(out, pos, hi >>> 16, 4);
        out[pos++] = '-';
        pos = hex(out, pos, hi, 4);
        out[pos++] = '-';
        pos = hex(out, pos, lo >>> 48, 4);
        out[pos++] = '-';
        return hex(out, pos, lo, 12);
    }

    private static int digits(byte[] out, int pos, int value, int width) {
        for (int i = pos + width - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return pos + width;
    }

    private static int hex(byte[] out, int pos, long value, int width) {
        for (int i = pos + width - 1; i >= pos; i--) {
            out[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        return pos + width;
    }
}
