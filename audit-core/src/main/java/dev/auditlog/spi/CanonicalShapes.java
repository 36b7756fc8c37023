package dev.auditlog.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A shortcut to {@link CanonicalJson#check} for the lines of a log, which come in a few shapes over and over: a line
 * whose shape — its structure and member names, with every value string, number and literal reduced to a token — is
 * one a fully checked line already had, and whose values are each canonical on their own (plain printable ASCII
 * strings without escapes, integers of at most 18 digits without leading zeros), is canonical: the general check
 * would walk the same tokens, in the same objects, with the same names, to the same verdict. Anything else (a new
 * shape, an escape, non-ASCII text, a long number, a problem) goes to the general check, whose message is the answer;
 * a shape is remembered only after the general check passed a line of it. One cache per thread, {@value #SLOTS}
 * shapes of at most {@value #MAX_SHAPE} bytes.
 */
final class CanonicalShapes {
    static final int SLOTS = 8;
    static final int MAX_SHAPE = 4096;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<CanonicalShapes> CACHE = ThreadLocal.withInitial(CanonicalShapes::new);

    private final byte[][] shapes = new byte[SLOTS][];
    private int next;
    private final byte[] work = new byte[MAX_SHAPE];

    /** Exactly {@link CanonicalJson#check}{@code (b, from, to)}: null when canonical, otherwise the rule broken. */
    static String check(byte[] b, int from, int to) {
        return CACHE.get().checkShape(b, from, to);
    }

    String checkShape(byte[] b, int from, int to) {
        int k = shapeOf(b, from, to);
        if (k >= 0) {
            for (byte[] s : shapes) {
                if (s != null && s.length == k && Arrays.equals(s, 0, k, work, 0, k)) {
                    return null;
                }
            }
        }
        String problem = CanonicalJson.check(b, from, to);
        if (problem == null && k >= 0) {
            shapes[next] = Arrays.copyOf(work, k);
            next = (next + 1) % SLOTS;
        }
        return problem;
    }

    /** The line's shape into {@link #work}, returning its length; -1 when only the general check can tell. */
    private int shapeOf(byte[] b, int from, int to) {
        byte[] w = work;
        int k = 0;
        int i = from;
        while (i < to) {
            if (k + 2 > MAX_SHAPE) {
                return -1;
            }
            int c = b[i];
            if (c == '"') {
                int q = stringEnd(b, i + 1, to);
                if (q < 0) {
                    return -1;
                }
                if (q + 1 < to && b[q + 1] == ':') {
                    // A member name: kept whole, so equal shapes have equal names (and duplicates) in equal places.
                    int len = q + 1 - i;
                    if (k + len > MAX_SHAPE) {
                        return -1;
                    }
                    System.arraycopy(b, i, w, k, len);
                    k += len;
                } else {
                    w[k++] = '"';
                    w[k++] = '"';
                }
                i = q + 1;
            } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',') {
                w[k++] = (byte) c;
                i++;
            } else if ((c >= '0' && c <= '9') || c == '-') {
                if (c == '-') {
                    i++;
                }
                int d = i;
                while (i < to && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                int n = i - d;
                if (n == 0 || n > 18 || (b[d] == '0' && (n > 1 || c == '-'))) {
                    return -1;
                }
                w[k++] = '0';
            } else if (c == 't' && i + 4 <= to && b[i + 1] == 'r' && b[i + 2] == 'u' && b[i + 3] == 'e') {
                w[k++] = 't';
                i += 4;
            } else if (c == 'f' && i + 5 <= to && b[i + 1] == 'a' && b[i + 2] == 'l' && b[i + 3] == 's'
                    && b[i + 4] == 'e') {
                w[k++] = 'f';
                i += 5;
            } else {
                return -1;
            }
        }
        return k;
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
}
