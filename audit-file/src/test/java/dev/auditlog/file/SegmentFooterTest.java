package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one footer rule, {@link SegmentFormat#checkFooter}, against footers the sink wrote and altered ones. */
class SegmentFooterTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    /** A rotated segment's footer line and the footer its contents call for. */
    private record Rotated(byte[] line, SegmentFormat.Footer contents) {
    }

    private Rotated rotated() throws Exception {
        List<SealedRecord> records = Fixtures.records("ft", 40);
        try (FileAuditSink sink = FileAuditSink.builder(dir).segmentSize(4096).build()) {
            sink.open("ft");
            sink.write(records);
        }
        Path segment = dir.resolve("ft").resolve("00000000000000000000.jsonl");
        List<byte[]> lines = LayoutTest.rawLines(segment);
        byte[] footer = lines.get(lines.size() - 1);
        byte[] bytes = Files.readAllBytes(segment);
        long n = lines.size() - 2;
        SealedRecord last = records.get((int) n - 1);
        assertThat(bytes.length).isGreaterThan(footer.length);
        return new Rotated(footer, new SegmentFormat.Footer("ft", 0, n - 1, n, HEX.formatHex(last.chainHash()), ""));
    }

    @Test
    void theFooterTheSinkWroteMatchesItsSegment() throws Exception {
        Rotated r = rotated();
        assertThat(SegmentFormat.checkFooter(r.line(), r.contents())).isEmpty();
        assertThat(SegmentFormat.parseFooter(r.line())).isEqualTo(r.contents());
        assertThat(SegmentFormat.footer(r.contents())).isEqualTo(r.line());
    }

    @Test
    void everyFieldOfTheFooterIsChecked() throws Exception {
        Rotated r = rotated();
        SegmentFormat.Footer c = r.contents();
        List<SegmentFormat.Footer> others = List.of(
                new SegmentFormat.Footer("other", c.first(), c.lastSequence(), c.records(), c.lastChain(), c.sha256()),
                new SegmentFormat.Footer(c.logId(), c.first() + 1, c.lastSequence(), c.records(), c.lastChain(),
                        c.sha256()),
                new SegmentFormat.Footer(c.logId(), c.first(), c.lastSequence() + 1, c.records(), c.lastChain(),
                        c.sha256()),
                new SegmentFormat.Footer(c.logId(), c.first(), c.lastSequence(), c.records() - 1, c.lastChain(),
                        c.sha256()),
                new SegmentFormat.Footer(c.logId(), c.first(), c.lastSequence(), c.records(), "0".repeat(64),
                        c.sha256()),
                // a version 1 footer (with a digest) does not end a version 2 segment
                new SegmentFormat.Footer(c.logId(), c.first(), c.lastSequence(), c.records(), c.lastChain(),
                        "0".repeat(64)));
        for (SegmentFormat.Footer other : others) {
            assertThat(SegmentFormat.checkFooter(r.line(), other)).as("%s", other).get().asString()
                    .startsWith("segment footer does not match the segment's contents: it says " + c);
        }
    }

    @Test
    void aFooterOfNoRecordsOrInconsistentCountsIsRejectedEvenWhenItMatches() {
        String chain = "ab".repeat(32);
        String sha = "cd".repeat(32);
        SegmentFormat.Footer empty = new SegmentFormat.Footer("ft", 5, 4, 0, chain, sha);
        assertThat(SegmentFormat.checkFooter(SegmentFormat.footer(empty), empty)).isPresent();
        SegmentFormat.Footer gap = new SegmentFormat.Footer("ft", 5, 9, 3, chain, sha); // 5 + 3 - 1 != 9
        assertThat(SegmentFormat.checkFooter(SegmentFormat.footer(gap), gap)).isPresent();
        SegmentFormat.Footer fine = new SegmentFormat.Footer("ft", 5, 7, 3, chain, sha);
        assertThat(SegmentFormat.checkFooter(SegmentFormat.footer(fine), fine)).isEmpty();
    }

    @Test
    void aLineThatIsNotAFooterInTheExactFormatIsNamedMalformed() {
        SegmentFormat.Footer c = new SegmentFormat.Footer("ft", 0, 0, 1, "ab".repeat(32), "cd".repeat(32));
        byte[] spaced = new String(SegmentFormat.footer(c), StandardCharsets.US_ASCII).replace(",", ", ")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(SegmentFormat.checkFooter(spaced, c)).get().asString().startsWith("malformed segment footer line");
        assertThat(SegmentFormat.checkFooter(new byte[2000], c)).get().asString()
                .isEqualTo("malformed segment footer line: 2000 bytes long");
    }
}
