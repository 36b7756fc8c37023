package dev.auditlog.file;

import dev.auditlog.AuditLog;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LayoutTest {
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    @Test
    void firstSegmentHasTheExactHeaderAndOneLinePerRecord() throws Exception {
        List<SealedRecord> records = Fixtures.records("orders", 3);
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            assertThat(sink.open("orders")).isEmpty();
            sink.write(records);
        }
        Path segment = dir.resolve("orders").resolve("00000000000000000000.jsonl");
        List<String> lines = Files.readAllLines(segment, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("{\"segment\":{\"v\":2,\"log\":\"orders\",\"first\":0,\"previous\":null}}");
        assertThat(lines).hasSize(records.size() + 1);
        byte[] expected = concat(("{\"segment\":{\"v\":2,\"log\":\"orders\",\"first\":0,\"previous\":null}}\n")
                .getBytes(StandardCharsets.US_ASCII), records);
        assertThat(Files.readAllBytes(segment)).isEqualTo(expected);
    }

    @Test
    void rotationBySizeEndsSegmentsWithAFooterAndChainsThemTogether() throws Exception {
        List<SealedRecord> records = Fixtures.records("rot", 60);
        try (FileAuditSink sink = FileAuditSink.builder(dir).segmentSize(4096).build()) {
            sink.open("rot");
            for (int i = 0; i < records.size(); i += 5) {
                sink.write(records.subList(i, Math.min(records.size(), i + 5)));
            }
        }
        Path logDir = dir.resolve("rot");
        List<Path> files = Fixtures.segmentFiles(logDir);
        assertThat(files).hasSizeGreaterThan(3);

        List<Segment> segments = FileAuditReader.open(dir).segments("rot");
        assertThat(segments).hasSize(files.size());
        long total = 0;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            List<byte[]> lines = rawLines(s.path());
            long recordCount = lines.size() - 1 - (s.hasFooter() ? 1 : 0);
            assertThat(s.fileName()).isEqualTo(String.format("%020d.jsonl", s.firstSequence()));
            assertThat(s.firstSequence()).isEqualTo(total);
            if (i < segments.size() - 1) {
                assertThat(s.hasFooter()).as("segment %d has a footer", i).isTrue();
                byte[] bytes = Files.readAllBytes(s.path());
                byte[] footerLine = lines.get(lines.size() - 1);
                int footerStart = bytes.length - footerLine.length - 1;
                SealedRecord last = records.get((int) (total + recordCount - 1));
                assertThat(new String(footerLine, StandardCharsets.US_ASCII)).isEqualTo(
                        "{\"segmentSeal\":{\"log\":\"rot\",\"first\":" + s.firstSequence() + ",\"lastSequence\":"
                                + last.sequence() + ",\"records\":" + recordCount + ",\"lastChain\":\""
                                + HEX.formatHex(last.chainHash()) + "\"}}");
                assertThat(footerStart).isPositive();
                assertThat(Fixtures.perms(s.path())).isEqualTo("r--------");
                // Segment format 2: no whole-file SHA-256 in the footer or the link (docs/FILE-FORMAT.md).
                String expectedHeader = "{\"segment\":{\"v\":2,\"log\":\"rot\",\"first\":" + (last.sequence() + 1)
                        + ",\"previous\":{\"file\":\"" + s.fileName() + "\",\"lastSequence\":" + last.sequence()
                        + ",\"lastChain\":\"" + HEX.formatHex(last.chainHash()) + "\",\"records\":" + recordCount
                        + "}}}";
                assertThat(new String(rawLines(segments.get(i + 1).path()).get(0), StandardCharsets.US_ASCII))
                        .isEqualTo(expectedHeader);
                assertThat(segments.get(i + 1).previous()).get().extracting(Segment.Previous::sha256)
                        .isEqualTo("");
                assertThat(Files.size(s.path())).isGreaterThanOrEqualTo(4096);
            } else {
                assertThat(s.hasFooter()).isFalse();
                assertThat(Fixtures.perms(s.path())).isEqualTo("rw-------");
            }
            total += recordCount;
        }
        assertThat(total).isEqualTo(records.size());

        List<SealedRecord> back = Fixtures.readAll(dir, "rot");
        assertThat(back).containsExactlyElementsOf(records);
        assertThat(Fixtures.verify("rot", back).isValid()).isTrue();
        try (FileAuditReader r = FileAuditReader.open(dir); Stream<SealedRecord> s = r.read("rot", 37)) {
            assertThat(s.toList()).containsExactlyElementsOf(records.subList(37, records.size()));
        }
    }

    @Test
    void aReopenedLogContinuesTheLastSegmentAndRotatesThroughAnAuditLog() throws Exception {
        for (int round = 0; round < 3; round++) {
            try (AuditLog log = AuditLog.builder().singleChain().logId("app").shutdownHook(false)
                    .sink(FileAuditSink.builder(dir).segmentSize(4096).build()).build()) {
                for (int i = 0; i < 20; i++) {
                    log.record(TckEvents.event(i));
                }
            }
        }
        List<SealedRecord> back = Fixtures.readAll(dir, "app");
        assertThat(back).hasSize(3 * 22);
        assertThat(Fixtures.verify("app", back).isValid()).isTrue();
        assertThat(Fixtures.segmentFiles(dir.resolve("app")).size()).isGreaterThan(2);
    }

    @Test
    void rotationByAge() throws Exception {
        dev.auditlog.tck.MutableClock clock = new dev.auditlog.tck.MutableClock();
        List<SealedRecord> records = Fixtures.records("aged", 4);
        try (FileAuditSink sink = FileAuditSink.builder(dir).segmentAge(Duration.ofHours(1)).clock(clock).build()) {
            sink.open("aged");
            sink.write(records.subList(0, 2));
            clock.advance(Duration.ofMinutes(59));
            sink.write(records.subList(2, 3));
            assertThat(Fixtures.segmentFiles(dir.resolve("aged"))).hasSize(1);
            clock.advance(Duration.ofMinutes(1));
            sink.write(records.subList(3, 4)); // now an hour old: rotated after this batch
            sink.write(records.subList(4, 6));
        }
        List<Segment> segments = FileAuditReader.open(dir).segments("aged");
        assertThat(segments).extracting(Segment::firstSequence).containsExactly(0L, 4L);
        assertThat(segments.get(0).hasFooter()).isTrue();
        assertThat(Fixtures.readAll(dir, "aged")).containsExactlyElementsOf(records);
    }

    @Test
    void permissionsOwnerOnlyByDefaultAndGroupReadableOnRequest() throws Exception {
        Path owner = dir.resolve("a");
        try (FileAuditSink sink = FileAuditSink.builder(owner).build()) {
            sink.open("p");
            sink.write(Fixtures.records("p", 1));
        }
        assertThat(Fixtures.perms(owner)).isEqualTo("rwx------");
        assertThat(Fixtures.perms(owner.resolve("p"))).isEqualTo("rwx------");
        assertThat(Fixtures.perms(owner.resolve("p").resolve("00000000000000000000.jsonl"))).isEqualTo("rw-------");
        assertThat(Fixtures.perms(owner.resolve("p").resolve(".lock"))).isEqualTo("rw-------");

        Path group = dir.resolve("g");
        List<SealedRecord> records = Fixtures.records("p", 40);
        try (FileAuditSink sink = FileAuditSink.builder(group).groupReadable(true).segmentSize(4096).build()) {
            sink.open("p");
            sink.write(records);
            sink.write(records); // redelivery: no-op
        }
        assertThat(Fixtures.perms(group)).isEqualTo("rwxr-x---");
        assertThat(Fixtures.perms(group.resolve("p"))).isEqualTo("rwxr-x---");
        List<Path> files = Fixtures.segmentFiles(group.resolve("p"));
        assertThat(files).hasSize(1);
        assertThat(Fixtures.perms(files.get(0))).isEqualTo("r--r-----"); // one big batch: rotated after it
    }

    static List<byte[]> rawLines(Path file) throws Exception {
        try (Stream<RawLine> s = FileAuditReader.lines(file)) {
            return s.map(RawLine::bytes).toList();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] concat(byte[] header, List<SealedRecord> records) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(header);
        for (SealedRecord r : records) {
            out.writeBytes(r.line());
            out.write('\n');
        }
        return out.toByteArray();
    }
}
