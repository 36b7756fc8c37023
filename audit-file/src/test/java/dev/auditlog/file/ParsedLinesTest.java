package dev.auditlog.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verifier's chunked reader splits a file into exactly the lines {@link LineReader} reads (offsets, bytes,
 * terminators), whatever the line lengths and wherever the chunk boundaries fall.
 */
class ParsedLinesTest {
    @TempDir
    Path dir;

    @Test
    void splitsLikeTheLineReaderAcrossChunkBoundaries() throws IOException {
        Random rnd = new Random(7);
        for (int round = 0; round < 6; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (out.size() < 3 * ParsedLines.CHUNK) {
                int kind = rnd.nextInt(10);
                int length = kind == 0 ? 0 : kind == 1 ? ParsedLines.CHUNK / 2 + rnd.nextInt(ParsedLines.CHUNK * 2)
                        : rnd.nextInt(2000);
                byte[] line = new byte[length];
                for (int i = 0; i < length; i++) {
                    line[i] = (byte) (' ' + rnd.nextInt(90));
                }
                if (kind == 2 && length > 5) {
                    System.arraycopy("{\"v\":".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 5); // a bad record
                }
                out.write(line, 0, length);
                out.write('\n');
            }
            if (round % 2 == 1) {
                out.write("{\"v\":1,\"log\":\"torn".getBytes(StandardCharsets.US_ASCII), 0, 18); // unterminated
            }
            Path file = dir.resolve("lines-" + round);
            Files.write(file, out.toByteArray());
            assertSameLines(file);
        }
    }

    @Test
    void emptyFileAndLoneTerminators() throws IOException {
        for (String content : new String[] {"", "\n", "\n\n", "x", "x\ny"}) {
            Path file = dir.resolve("small");
            Files.writeString(file, content);
            assertSameLines(file);
        }
    }

    @Test
    void aLineLongerThanTheLimitIsAnIoErrorNamingItsOffset() throws IOException {
        Path file = dir.resolve("long");
        byte[] content = new byte[LineReader.MAX_LINE + 20];
        Arrays.fill(content, (byte) 'a');
        content[9] = '\n';
        Files.write(file, content);
        try (ParsedLines.Workers workers = new ParsedLines.Workers();
             ParsedLines lines = new ParsedLines(file, workers)) {
            assertThatThrownBy(() -> {
                while (lines.hasNext()) {
                    lines.next();
                }
            }).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("line at byte offset 10 is longer than " + LineReader.MAX_LINE);
        }
    }

    private static void assertSameLines(Path file) throws IOException {
        List<RawLine> expected = new ArrayList<>();
        try (LineReader r = new LineReader(file)) {
            RawLine l;
            while ((l = r.next()) != null) {
                expected.add(l);
            }
        }
        List<RawLine> actual = new ArrayList<>();
        try (ParsedLines.Workers workers = new ParsedLines.Workers();
             ParsedLines lines = new ParsedLines(file, workers)) {
            while (lines.hasNext()) {
                ParsedLines.Parsed p = lines.next();
                assertThat(p.kind()).isEqualTo(p.line().kind());
                assertThat(p.terminated()).isEqualTo(p.line().terminated());
                assertThat(p.length()).isEqualTo(p.line().bytes().length);
                if (p.kind() == RawLine.Kind.RECORD && p.terminated()) {
                    assertThat(p.problem()).as("a made-up record line does not parse").isNotNull();
                }
                actual.add(p.line());
            }
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("line " + i).isEqualTo(expected.get(i));
        }
    }

    /**
     * The recovery-event search answers exactly as a plain search of the line's first 512 bytes, wherever the text
     * and look-alikes fall: near the 512-byte limit, at the end of the line, at the end of the buffer, among 'v's.
     */
    @Test
    void recoverySearchIsAPlainSearchOfTheFirst512Bytes() {
        byte[] text = "\"action\":\"audit.file.recovered\"".getBytes(StandardCharsets.US_ASCII);
        byte[] alphabet = "\"actionudfilrecov:.vvx".getBytes(StandardCharsets.US_ASCII);
        Random rnd = new Random(11);
        int found = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] hay = new byte[rnd.nextInt(700)];
            for (int i = 0; i < hay.length; i++) {
                hay[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            if (hay.length >= text.length && rnd.nextInt(3) > 0) {
                int at = rnd.nextInt(hay.length - text.length + 1);
                System.arraycopy(text, 0, hay, at, text.length);
                if (rnd.nextBoolean()) {
                    hay[at + rnd.nextInt(text.length)] ^= 1; // a near miss
                }
            }
            int from = hay.length == 0 ? 0 : rnd.nextInt(Math.min(hay.length, 40));
            int to = from + (hay.length == from ? 0 : rnd.nextInt(hay.length - from + 1));
            boolean expected = false;
            for (int i = from; i + text.length <= Math.min(to, from + 512) && !expected; i++) {
                expected = Arrays.equals(hay, i, i + text.length, text, 0, text.length);
            }
            assertThat(ParsedLines.containsRecovered(hay, from, to)).as("round " + round).isEqualTo(expected);
            found += expected ? 1 : 0;
        }
        assertThat(found).isGreaterThan(10_000);
    }
}
