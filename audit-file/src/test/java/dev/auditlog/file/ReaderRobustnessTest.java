package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class ReaderRobustnessTest {
    @TempDir
    Path dir;

    private Path seg() throws IOException {
        Path logDir = dir.resolve("x");
        Files.createDirectories(logDir);
        return logDir.resolve("00000000000000000000.jsonl");
    }

    private static final String HEADER = "{\"segment\":{\"v\":1,\"log\":\"x\",\"first\":0,\"previous\":null}}\n";

    /** Reading and describing must either succeed or fail with a clear I/O exception, never anything else. */
    private void readFailsCleanly() {
        try {
            Fixtures.readAll(dir, "x");
        } catch (UncheckedIOException | IOException e) {
            assertThat(e.getMessage()).contains("00000000000000000000.jsonl");
        } catch (RuntimeException e) {
            fail("reader threw " + e, e);
        }
        try {
            FileAuditReader.open(dir).segments("x");
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("00000000000000000000.jsonl");
        } catch (RuntimeException e) {
            fail("segments threw " + e, e);
        }
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            sink.open("x");
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("00000000000000000000.jsonl");
        } catch (RuntimeException e) {
            fail("open threw " + e, e);
        }
    }

    @Test
    void emptyFile() throws Exception {
        Files.write(seg(), new byte[0]);
        assertThatThrownBy(() -> Fixtures.readAll(dir, "x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("empty segment file");
        readFailsCleanly();
    }

    @Test
    void headerOnlyIsAnEmptyLog() throws Exception {
        Files.writeString(seg(), HEADER);
        assertThat(Fixtures.readAll(dir, "x")).isEmpty();
        assertThat(FileAuditReader.open(dir).chainIds()).containsExactly("x");
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            assertThat(sink.open("x")).isEmpty();
        }
    }

    @Test
    void truncatedHeader() throws Exception {
        Files.writeString(seg(), HEADER.substring(0, 20));
        assertThatThrownBy(() -> Fixtures.readAll(dir, "x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("byte offset 0");
        readFailsCleanly();
    }

    @Test
    void aTornLastRecordIsNotReturned() throws Exception {
        List<SealedRecord> records = Fixtures.records("x", 2);
        StringBuilder b = new StringBuilder(HEADER);
        for (SealedRecord r : records) {
            b.append(r.lineText()).append('\n');
        }
        String text = b.substring(0, b.length() - 7);
        Files.writeString(seg(), text);
        assertThat(Fixtures.readAll(dir, "x")).containsExactlyElementsOf(records.subList(0, records.size() - 1));
    }

    @Test
    void aGarbageLineNamesFileAndOffset() throws Exception {
        List<SealedRecord> records = Fixtures.records("x", 1);
        String content = HEADER + records.get(0).lineText() + "\n" + "{\"v\":1,garbage}\n";
        Files.writeString(seg(), content);
        int offset = (HEADER + records.get(0).lineText() + "\n").getBytes(StandardCharsets.UTF_8).length;
        assertThatThrownBy(() -> Fixtures.readAll(dir, "x")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("00000000000000000000.jsonl").hasMessageContaining("byte offset " + offset);
    }

    @Test
    void randomBytes() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(3000)];
            random.nextBytes(junk);
            if (i % 3 == 0) {
                // mostly newlines and braces: many short lines
                for (int j = 0; j < junk.length; j++) {
                    junk[j] = (byte) "{\"v\":1\n}".charAt(Math.floorMod(junk[j], 8));
                }
            }
            byte[] content = i % 2 == 0 ? junk : concat(HEADER.getBytes(StandardCharsets.US_ASCII), junk);
            Files.write(seg(), content);
            try (var s = FileAuditReader.lines(seg())) {
                assertThat(s.mapToLong(RawLine::storedLength).sum()).isEqualTo(content.length);
            }
            readFailsCleanly(); // the sink's recovery may quarantine a torn tail: last
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
