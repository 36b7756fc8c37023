package dev.auditlog.spi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape shortcut gives exactly the general canonical check's answer, and takes the shortcut for log lines. */
class CanonicalShapesTest {
    private static final List<String> LINES = List.of(
            "{\"v\":1,\"log\":\"orders\",\"seq\":12,\"sealedAt\":\"2026-12-01T19:14:28.287397781Z\",\"type\":\"event\","
                    + "\"event\":{\"id\":\"01a23307-9ebd\",\"action\":\"authn_login_fail\",\"actor\":{\"id\":\"alice\","
                    + "\"type\":\"USER\"},\"targets\":[{\"type\":\"account\",\"id\":\"alice\"}],\"outcome\":{\"status\":"
                    + "\"FAILURE\"},\"attributes\":{\"attempt\":3,\"ok\":true,\"neg\":-17,\"no\":false,\"list\":[1,2,"
                    + "\"x\"],\"empty\":{},\"none\":[]}},\"chain\":\"f691be136da7f4108de0737becde490147060304f524002cd3e6"
                    + "0b38cff12ce2\"}",
            "{\"v\":1,\"log\":\"orders\",\"seq\":13,\"sealedAt\":\"2026-12-01T19:14:28Z\",\"type\":\"event\",\"event\":"
                    + "{\"id\":\"x\",\"action\":\"a.b\",\"attributes\":{\"s\":\"caf\u00e9 \\\"q\\\" \\u2028\",\"n\":0}},"
                    + "\"chain\":\"00\"}",
            "{\"a\":{\"a\":{\"a\":[[[]]]}},\"\":\"\",\"b\":9223372036854775807,\"c\":-9223372036854775808}");

    @Test
    void theShortcutAnswersAsTheGeneralCheckOnMutatedLines() {
        SplittableRandom random = new SplittableRandom(20261201);
        byte[] alphabet = "{}[]:,\"\\0123456789-.eEtrufalsn x\u00e9\u2028".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 400_000; i++) {
            byte[] b = LINES.get(random.nextInt(LINES.size())).getBytes(StandardCharsets.UTF_8);
            int edits = random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                b = mutate(b, random, alphabet);
            }
            String general = CanonicalJson.check(b, 0, b.length);
            String shortcut = CanonicalShapes.check(b, 0, b.length);
            assertThat(shortcut).as(new String(b, StandardCharsets.UTF_8)).isEqualTo(general);
            // A line inside a larger buffer (as a reader's chunk holds it): the bytes around it must not count.
            int before = random.nextInt(9);
            byte[] chunk = new byte[before + b.length + random.nextInt(9)];
            for (int k = 0; k < chunk.length; k++) {
                chunk[k] = alphabet[random.nextInt(alphabet.length)];
            }
            System.arraycopy(b, 0, chunk, before, b.length);
            assertThat(CanonicalShapes.check(chunk, before, before + b.length))
                    .as(new String(b, StandardCharsets.UTF_8))
                    .isEqualTo(CanonicalJson.check(chunk, before, before + b.length));
        }
    }

    @Test
    void aLiteralIsComparedWholeWhereverItEndsInTheBuffer() {
        CanonicalShapes shapes = new CanonicalShapes();
        byte[] learned = "{\"a\":\"x\",\"bcdefghijklmnop\":1}".getBytes(StandardCharsets.US_ASCII);
        assertThat(shapes.checkShape(learned, 0, learned.length)).isNull();
        // The same shape, but one byte of a member name changed at each position in turn: never the shortcut.
        for (int at = 0; at < learned.length; at++) {
            byte[] b = learned.clone();
            if (b[at] == 'x' || b[at] == '1') {
                continue; // a value, not part of the shape
            }
            b[at] = (byte) (b[at] == 'q' ? 'r' : 'q');
            assertThat(shapes.known(b, 0, b.length)).as(new String(b, StandardCharsets.US_ASCII)).isFalse();
            // and with the true line's bytes right after the range, where an eight-byte read would reach
            byte[] padded = new byte[b.length + 8];
            System.arraycopy(b, 0, padded, 0, b.length);
            System.arraycopy(learned, 0, padded, b.length, 8);
            assertThat(shapes.known(padded, 0, b.length)).isFalse();
        }
        byte[] exact = new byte[learned.length + 8];
        System.arraycopy(learned, 0, exact, 0, learned.length);
        System.arraycopy(learned, 0, exact, learned.length, 8); // not zeros: the mask must drop them
        assertThat(shapes.known(exact, 0, learned.length)).isTrue();
        assertThat(shapes.known(learned, 0, learned.length - 1)).isFalse();
    }

    @Test
    void aKnownShapeWithOtherValuesIsCanonicalAndAProblemInItIsStillFound() {
        CanonicalShapes shapes = new CanonicalShapes();
        byte[] first = "{\"id\":\"a\",\"n\":1,\"t\":true}".getBytes(StandardCharsets.US_ASCII);
        assertThat(shapes.known(first, 0, first.length)).isFalse();
        assertThat(shapes.checkShape(first, 0, first.length)).isNull();
        byte[] same = "{\"id\":\"something else\",\"n\":-123456,\"t\":false}".getBytes(StandardCharsets.US_ASCII);
        assertThat(shapes.known(same, 0, same.length)).isTrue();
        assertThat(shapes.checkShape(same, 0, same.length)).isNull();
        for (String bad : List.of("{\"id\":\"a\",\"n\":01,\"t\":true}", "{\"id\":\"a\",\"n\":-0,\"t\":true}",
                "{\"id\":\"a\",\"n\":1.5,\"t\":true}", "{\"id\":\"a\u0001\",\"n\":1,\"t\":true}",
                "{\"id\":\"a\",\"id\":1,\"t\":true}", "{\"id\":\"a\\/\",\"n\":1,\"t\":true}",
                "{\"id\":\"a\",\"n\":12345678901234567890,\"t\":true}", "{\"id\":\"a\",\"n\":1,\"t\":null}",
                "{\"id\":\"a\", \"n\":1,\"t\":true}")) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            assertThat(shapes.known(b, 0, b.length)).as(bad).isFalse();
            assertThat(shapes.checkShape(b, 0, b.length)).as(bad).isNotNull().isEqualTo(CanonicalJson.check(b, 0,
                    b.length));
        }
    }

    private static byte[] mutate(byte[] b, SplittableRandom random, byte[] alphabet) {
        int at = random.nextInt(b.length);
        byte c = alphabet[random.nextInt(alphabet.length)];
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] out = b.clone();
                out[at] = c;
                return out;
            }
            case 1 -> {
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = c;
                System.arraycopy(b, at, out, at + 1, b.length - at);
                return out;
            }
            case 2 -> {
                if (b.length < 2) {
                    return b;
                }
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                return out;
            }
            default -> {
                int to = random.nextInt(b.length);
                byte[] out = b.clone();
                out[at] = b[to];
                out[to] = b[at];
                return out;
            }
        }
    }
}
