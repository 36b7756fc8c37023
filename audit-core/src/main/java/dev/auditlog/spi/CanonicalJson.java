package dev.auditlog.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The canonical JSON of docs/FORMAT.md section 2.1: the only bytes the writer can produce for a record. One pass, no
 * allocation beyond a small stack of member-name offsets: strict UTF-8, no whitespace, only the writer's escapes, only
 * integers, no {@code null}, no duplicated member. Each problem names the rule and the byte offset.
 */
final class CanonicalJson {
    private static final int MAX_DEPTH = 32;
    /** Eight bytes at a time through string contents: most of a record is plain ASCII text. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final byte[] b;
    private final int end;
    private int p;
    /** Start and end offsets of the member names of the objects being read, innermost last. */
    private int[] names = new int[64];
    private int namesTop;

    private CanonicalJson(byte[] b, int from, int end) {
        this.b = b;
        this.p = from;
        this.end = end;
    }

    /**
     * Checks that {@code b[from, to)} is exactly one JSON object in canonical form.
     *
     * @return the rule broken, with its byte offset, or null
     */
    static String check(byte[] b, int from, int to) {
        CanonicalJson c = new CanonicalJson(b, from, to);
        try {
            if (c.p >= to || b[c.p] != '{') {
                return "a record is a JSON object (offset " + from + ")";
            }
            c.value(0);
            if (c.p != to) {
                return "content after the record's closing brace (offset " + c.p + ")";
            }
            return null;
        } catch (Rule r) {
            return r.getMessage();
        }
    }

    private static final class Rule extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rule(String message) {
            super(message, null, false, false);
        }
    }

    private Rule rule(String what) {
        return new Rule(what + " (offset " + p + ")");
    }

    private int peek() {
        if (p >= end) {
            throw rule("unexpected end of record");
        }
        return b[p] & 0xFF;
    }

    private void value(int depth) {
        if (depth > MAX_DEPTH) {
            throw rule("nested deeper than " + MAX_DEPTH);
        }
        int c = peek();
        switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> throw rule("null is never written: absent members are omitted");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    throw rule("whitespace between tokens");
                } else {
                    throw rule("not a JSON value");
                }
            }
        }
    }

    private void object(int depth) {
        p++; // {
        if (peek() == '}') {
            p++;
            return;
        }
        int base = namesTop;
        // One bit per (length, first character) of the names seen: only a name whose bit is set can be a duplicate.
        long seen = 0;
        try {
            while (true) {
                if (peek() != '"') {
                    throw rule(peek() == ' ' ? "whitespace between tokens" : "expected a member name");
                }
                int start = p;
                string();
                int stop = p;
                int length = stop - start;
                long bit = 1L << ((length * 7 + b[start + 1]) & 63);
                if ((seen & bit) != 0) {
                    for (int i = base; i < namesTop; i += 2) {
                        if (names[i + 1] - names[i] == length
                                && java.util.Arrays.equals(b, names[i], names[i + 1], b, start, stop)) {
                            p = start;
                            throw rule("duplicated member " + new String(b, start, stop - start,
                                    java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                }
                seen |= bit;
                if (namesTop + 2 > names.length) {
                    names = java.util.Arrays.copyOf(names, names.length * 2);
                }
                names[namesTop++] = start;
                names[namesTop++] = stop;
                if (peek() != ':') {
                    throw rule("expected ':' right after a member name");
                }
                p++;
                value(depth + 1);
                int c = peek();
                p++;
                if (c == '}') {
                    return;
                }
                if (c != ',') {
                    p--;
                    throw rule("expected ',' or '}'");
                }
            }
        } finally {
            namesTop = base;
        }
    }

    private void array(int depth) {
        p++; // [
        if (peek() == ']') {
            p++;
            return;
        }
        while (true) {
            value(depth + 1);
            int c = peek();
            p++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                p--;
                throw rule("expected ',' or ']'");
            }
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (p >= end || b[p] != word.charAt(i)) {
                throw rule("not a JSON value");
            }
            p++;
        }
    }

    /** Integers only, 64-bit signed, no leading zeros, no {@code -0}, no fraction or exponent. */
    private void number() {
        int start = p;
        boolean negative = b[p] == '-';
        if (negative) {
            p++;
        }
        int digits = p;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        int n = p - digits;
        if (n == 0) {
            throw rule("a number needs digits");
        }
        if (b[digits] == '0' && (n > 1 || negative)) {
            p = start;
            throw rule("a number has no leading zeros and is never -0");
        }
        if (p < end && (b[p] == '.' || b[p] == 'e' || b[p] == 'E')) {
            throw rule("numbers are integers: no fraction or exponent");
        }
        if (n > 19 || (n == 19 && !fitsLong(digits, negative))) {
            p = start;
            throw rule("a number must fit a 64-bit signed integer");
        }
    }

    private boolean fitsLong(int digits, boolean negative) {
        String limit = negative ? "9223372036854775808" : "9223372036854775807";
        for (int i = 0; i < 19; i++) {
            int d = b[digits + i] - limit.charAt(i);
            if (d != 0) {
                return d < 0;
            }
        }
        return true;
    }

    private void string() {
        p++; // "
        while (true) {
            // Eight bytes at a time to the first byte that is not plain ASCII (0x20..0x7E, not '"' or '\\'): that
            // byte, and the last few bytes of the record, go through the byte-by-byte rules below.
            if (p + 8 <= end) {
                long special = special((long) LONGS.get(b, p));
                if (special == 0) {
                    p += 8;
                    continue;
                }
                p += Long.numberOfTrailingZeros(special) >>> 3;
            }
            if (p >= end) {
                throw rule("unterminated string");
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                p++;
                return;
            }
            if (c == '\\') {
                escape();
            } else if (c < 0x20) {
                throw rule(String.format("raw control character U+%04X in a string: written as an escape", c));
            } else if (c == 0x7F) {
                throw rule("raw U+007F in a string: written as \\u007F");
            } else if (c < 0x80) {
                p++;
            } else {
                utf8(c);
            }
        }
    }

    /**
     * The high bit of each of the 8 bytes (little-endian) that is below 0x20, 0x7F or above, '"' or '\\' — exact
     * for the lowest such byte (the bit tricks can only also flag bytes above a true one), 0 when there is none.
     */
    static long special(long w) {
        return (((w - ONES * 0x20) & ~w) | hasZero(w ^ (ONES * '"')) | hasZero(w ^ (ONES * '\\'))
                | hasZero(w ^ (ONES * 0x7F)) | w) & HIGHS;
    }

    private static long hasZero(long w) {
        return (w - ONES) & ~w;
    }

    private void escape() {
        if (p + 1 >= end) {
            throw rule("unterminated escape");
        }
        int e = b[p + 1];
        switch (e) {
            case '"', '\\', 'b', 't', 'n', 'f', 'r' -> p += 2;
            case 'u' -> {
                if (p + 6 > end) {
                    throw rule("unterminated \\u escape");
                }
                int v = 0;
                for (int i = p + 2; i < p + 6; i++) {
                    int h = b[i];
                    int d = h >= '0' && h <= '9' ? h - '0' : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (d < 0) {
                        throw rule("a \\u escape has 4 uppercase hexadecimal digits");
                    }
                    v = v << 4 | d;
                }
                boolean control = v < 0x20 && v != 0x08 && v != 0x09 && v != 0x0A && v != 0x0C && v != 0x0D;
                if (!control && v != 0x7F && v != 0x2028 && v != 0x2029) {
                    throw rule(String.format("\\u%04X is not an escape the writer uses (only controls without a"
                            + " short form, U+007F, U+2028 and U+2029; everything else is written as itself)", v));
                }
                p += 6;
            }
            default -> throw rule("\\" + (char) e + " is not an escape the writer uses (only \\\" \\\\ \\b \\t \\n"
                    + " \\f \\r and \\u)");
        }
    }

    /** A strict UTF-8 sequence (RFC 3629: shortest form, no surrogates, at most U+10FFFF), not U+2028/U+2029. */
    private void utf8(int c) {
        int len;
        int min;
        int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
            cp = c & 0x07;
        } else {
            throw rule(String.format("invalid UTF-8: byte 0x%02X cannot start a character", c));
        }
        if (p + len > end) {
            throw rule("invalid UTF-8: truncated character");
        }
        for (int i = 1; i < len; i++) {
            int k = b[p + i] & 0xFF;
            if ((k & 0xC0) != 0x80) {
                throw rule(String.format("invalid UTF-8: byte 0x%02X is not a continuation byte", k));
            }
            cp = cp << 6 | (k & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw rule(String.format("invalid UTF-8: overlong form, surrogate or beyond U+10FFFF (U+%04X)", cp));
        }
        if (cp == 0x2028 || cp == 0x2029) {
            throw rule(String.format("raw U+%04X in a string: written as \\u%04X", cp, cp));
        }
        p += len;
    }
}
