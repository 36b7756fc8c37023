package dev.auditlog.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A shortcut to {@link CanonicalJson#check} for the lines of a log, which come in a few shapes over and over. The
 * shape of a line that passed the general check is kept as a template: the runs of bytes between its values
 * (structure, member names, quotes) verbatim, and a slot per value string, number and literal. A later line that
 * matches a template — the same runs, byte for byte, and values that are each canonical on their own (strings of
 * printable ASCII without escapes, integers of at most 18 digits without leading zeros, {@code true} or
 * {@code false}) — is canonical: the general check would walk the same tokens in the same objects, with the same
 * names, to the same verdict. Anything else (a new shape, an escape, non-ASCII text, a long number, any problem)
 * goes to the general check, whose answer and message stand. One cache per thread, at most {@value #SLOTS}
 * templates, none for lines longer than {@value #MAX_LINE} bytes.
 */
final class CanonicalShapes {
    static final int SLOTS = 8;
    static final int MAX_LINE = 16 * 1024;
    private static final byte LITERAL = 0;
    private static final byte STRING = 1;
    private static final byte NUMBER = 2;
    private static final byte BOOLEAN = 3;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<CanonicalShapes> CACHE = ThreadLocal.withInitial(CanonicalShapes::new);

    /**
     * A shape: its slots in order, and for each literal slot the bytes, also as little-endian words to compare eight
     * bytes at a time: {@code words} covers the literal's whole words, {@code lasts} is its last eight bytes (a word
     * that may overlap the one before) or, for a literal shorter than a word, its bytes under {@code masks}.
     */
    private record Template(byte[] kinds, byte[][] literals, long[][] words, long[] lasts, long[] masks) {
        static Template of(byte[] kinds, byte[][] literals) {
            int n = kinds.length;
            long[][] words = new long[n][];
            long[] lasts = new long[n];
            long[] masks = new long[n];
            for (int s = 0; s < n; s++) {
                byte[] lit = literals[s];
                if (lit == null) {
                    continue;
                }
                words[s] = new long[lit.length / 8];
                for (int k = 0; k < words[s].length; k++) {
                    words[s][k] = (long) LONGS.get(lit, 8 * k);
                }
                if (lit.length >= 8) {
                    lasts[s] = (long) LONGS.get(lit, lit.length - 8);
                    masks[s] = -1L;
                } else {
                    byte[] padded = Arrays.copyOf(lit, 8);
                    masks[s] = (1L << (8 * lit.length)) - 1;
                    lasts[s] = (long) LONGS.get(padded, 0);
                }
            }
            return new Template(kinds, literals, words, lasts, masks);
        }
    }

    /** Most recently matched first. */
    private final Template[] templates = new Template[SLOTS];

    /** Exactly {@link CanonicalJson#check}{@code (b, from, to)}: null when canonical, otherwise the rule broken. */
    static String check(byte[] b, int from, int to) {
        return CACHE.get().checkShape(b, from, to);
    }

    String checkShape(byte[] b, int from, int to) {
        int t = matching(b, from, to);
        if (t >= 0) {
            if (t > 0) {
                Template hit = templates[t];
                System.arraycopy(templates, 0, templates, 1, t);
                templates[0] = hit;
            }
            return null;
        }
        String problem = CanonicalJson.check(b, from, to);
        if (problem == null && to - from <= MAX_LINE) {
            Template learned = template(b, from, to);
            if (learned != null) {
                System.arraycopy(templates, 0, templates, 1, SLOTS - 1);
                templates[0] = learned;
            }
        }
        return problem;
    }

    /** Whether a template matches the line: the shortcut would answer for it. */
    boolean known(byte[] b, int from, int to) {
        return matching(b, from, to) >= 0;
    }

    /** The index of the first template that matches the line; -1 when none does. */
    private int matching(byte[] b, int from, int to) {
        for (int t = 0; t < SLOTS && templates[t] != null; t++) {
            if (matches(templates[t], b, from, to)) {
                return t;
            }
        }
        return -1;
    }

    private static boolean matches(Template t, byte[] b, int from, int to) {
        byte[] kinds = t.kinds();
        byte[][] literals = t.literals();
        int i = from;
        for (int s = 0; s < kinds.length; s++) {
            switch (kinds[s]) {
                case LITERAL -> {
                    int n = literals[s].length;
                    if (to - i < n || !literalAt(t, s, n, b, i)) {
                        return false;
                    }
                    i += n;
                }
                case STRING -> {
                    // The literal before ends with the opening quote, the one after starts with the closing one.
                    i = stringEnd(b, i, to);
                    if (i < 0) {
                        return false;
                    }
                }
                case NUMBER -> {
                    i = numberEnd(b, i, to);
                    if (i < 0) {
                        return false;
                    }
                }
                default -> {
                    if (to - i >= 4 && b[i] == 't' && b[i + 1] == 'r' && b[i + 2] == 'u' && b[i + 3] == 'e') {
                        i += 4;
                    } else if (to - i >= 5 && b[i] == 'f' && b[i + 1] == 'a' && b[i + 2] == 'l' && b[i + 3] == 's'
                            && b[i + 4] == 'e') {
                        i += 5;
                    } else {
                        return false;
                    }
                }
            }
        }
        return i == to;
    }

    /** Whether literal slot {@code s}, {@code n} bytes, is at {@code b[i, i + n)}, which is inside the line. */
    private static boolean literalAt(Template t, int s, int n, byte[] b, int i) {
        if (n >= 8) {
            long[] words = t.words()[s];
            for (int k = 0; k < words.length; k++) {
                if ((long) LONGS.get(b, i + 8 * k) != words[k]) {
                    return false;
                }
            }
            return (long) LONGS.get(b, i + n - 8) == t.lasts()[s];
        }
        if (b.length - i >= 8) { // the bytes after the literal, still in the array, are masked off
            return ((long) LONGS.get(b, i) & t.masks()[s]) == t.lasts()[s];
        }
        return Arrays.equals(b, i, i + n, t.literals()[s], 0, n);
    }

    /** The template of a line the general check passed; null when one of its values is not plain (no shortcut). */
    private static Template template(byte[] b, int from, int to) {
        ByteRun lit = new ByteRun(to - from);
        java.util.ArrayList<Byte> kinds = new java.util.ArrayList<>();
        java.util.ArrayList<byte[]> literals = new java.util.ArrayList<>();
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c == '"') {
                int q = stringEnd(b, i + 1, to);
                if (q < 0) {
                    return null;
                }
                if (q + 1 < to && b[q + 1] == ':') {
                    lit.add(b, i, q + 1); // a member name: part of the shape
                } else {
                    lit.add(b, i, i + 1);
                    lit.flush(kinds, literals);
                    kinds.add(STRING);
                    literals.add(null);
                    lit.add(b, q, q + 1);
                }
                i = q + 1;
            } else if ((c >= '0' && c <= '9') || c == '-') {
                int end = numberEnd(b, i, to);
                if (end < 0) {
                    return null;
                }
                lit.flush(kinds, literals);
                kinds.add(NUMBER);
                literals.add(null);
                i = end;
            } else if (c == 't' || c == 'f') {
                lit.flush(kinds, literals);
                kinds.add(BOOLEAN);
                literals.add(null);
                i += c == 't' ? 4 : 5;
            } else {
                lit.add(b, i, i + 1);
                i++;
            }
        }
        lit.flush(kinds, literals);
        byte[] k = new byte[kinds.size()];
        for (int s = 0; s < k.length; s++) {
            k[s] = kinds.get(s);
        }
        return Template.of(k, literals.toArray(new byte[0][]));
    }

    /** Bytes of the literal being collected. */
    private static final class ByteRun {
        private final byte[] bytes;
        private int length;

        ByteRun(int capacity) {
            bytes = new byte[capacity];
        }

        void add(byte[] b, int from, int to) {
            System.arraycopy(b, from, bytes, length, to - from);
            length += to - from;
        }

        void flush(java.util.List<Byte> kinds, java.util.List<byte[]> literals) {
            if (length > 0) {
                kinds.add(LITERAL);
                literals.add(Arrays.copyOf(bytes, length));
                length = 0;
            }
        }
    }

    /**
     * The index of the closing quote of a string whose contents start at {@code i}, when every byte before it is
     * printable ASCII other than {@code '\\'}; otherwise -1.
     */
    private static int stringEnd(byte[] b, int i, int to) {
        while (i + 8 <= to) {
            long special = CanonicalJson.special((long) LONGS.get(b, i));
            if (special != 0) {
                int q = i + (Long.numberOfTrailingZeros(special) >>> 3);
                return b[q] == '"' ? q : -1;
            }
            i += 8;
        }
        for (; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c >= 0x7F || c == '\\') {
                return -1;
            }
        }
        return -1;
    }

    /**
     * The index after an integer starting at {@code i} that is canonical on its own and at most 18 digits (so it
     * fits a long), followed by neither a digit nor {@code . e E}; otherwise -1.
     */
    private static int numberEnd(byte[] b, int i, int to) {
        boolean negative = i < to && b[i] == '-';
        if (negative) {
            i++;
        }
        int d = i;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int n = i - d;
        if (n == 0 || n > 18 || (b[d] == '0' && (n > 1 || negative))) {
            return -1;
        }
        if (i < to && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) {
            return -1;
        }
        return i;
    }
}
