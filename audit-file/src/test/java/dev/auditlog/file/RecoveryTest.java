package dev.auditlog.file;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryTest {
    @TempDir
    Path dir;

    private Path segment() {
        return dir.resolve("r").resolve("00000000000000000000.jsonl");
    }

    private List<SealedRecord> store(int events) throws IOException {
        List<SealedRecord> records = Fixtures.records("r", events);
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            sink.open("r");
            sink.write(records);
        }
        return records;
    }

    @Test
    void aTornLastLineIsQuarantinedTruncatedReportedAndTheLogContinues() throws Exception {
        List<SealedRecord> records = store(5);
        long size = Files.size(segment());
        int lastLength = records.get(records.size() - 1).lineLength() + 1;
        long tornAt = size - lastLength;
        long cut = tornAt + lastLength / 2;
        try (FileChannel ch = FileChannel.open(segment(), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        byte[] torn = Arrays.copyOfRange(Files.readAllBytes(segment()), (int) tornAt, (int) cut);

        assertRecovered(records.subList(0, records.size() - 1), tornAt, torn);
    }

    @Test
    void anInvalidLastLineIsQuarantinedToo() throws Exception {
        List<SealedRecord> records = store(5);
        byte[] bytes = Files.readAllBytes(segment());
        int lastLength = records.get(records.size() - 1).lineLength() + 1;
        int start = bytes.length - lastLength;
        bytes[start + 40] ^= 0x01; // inside the body: the chain link breaks
        Files.write(segment(), bytes);
        byte[] bad = Arrays.copyOfRange(bytes, start, bytes.length);

        assertRecovered(records.subList(0, records.size() - 1), start, bad);
    }

    private void assertRecovered(List<SealedRecord> kept, long offset, byte[] quarantined) throws Exception {
        // the reader does not return the torn/invalid tail... (an invalid complete line is an error for the reader)
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            SealedRecord last = kept.get(kept.size() - 1);
            assertThat(sink.open("r")).get().satisfies(h -> {
                assertThat(h.sequence()).isEqualTo(last.sequence());
                assertThat(h.chainHash()).isEqualTo(last.chainHash());
            });
            List<AuditEvent> notices = sink.takeNotices();
            Path q = segment().resolveSibling("00000000000000000000.jsonl.quarantine-" + offset);
            assertThat(Files.readAllBytes(q)).isEqualTo(quarantined);
            assertThat(Files.size(segment())).isEqualTo(offset);
            assertThat(notices).singleElement().satisfies(e -> {
                assertThat(e.action()).isEqualTo("audit.file.recovered");
                assertThat(e.attributes()).containsEntry("file", "00000000000000000000.jsonl")
                        .containsEntry("offset", offset).containsEntry("length", (long) quarantined.length)
                        .containsEntry("sha256", LayoutTest.sha256(quarantined))
                        .containsEntry("quarantine", q.getFileName().toString());
            });
        }
        // through an AuditLog: the notice becomes a record, appending continues, the chain verifies
        try (AuditLog log = AuditLog.builder().singleChain().logId("r").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).build()).build()) {
            log.record(TckEvents.event(99)).await();
        }
        List<SealedRecord> back = Fixtures.readAll(dir, "r");
        assertThat(back.subList(0, kept.size())).containsExactlyElementsOf(kept);
        assertThat(Fixtures.verify("r", back).isValid()).isTrue();
        assertThat(back).hasSize(kept.size() + 3); // started, 99, stopped (the notice was handed over already)
    }

    @Test
    void theRecoveryNoticeIsRecordedInTheChainByTheLog() throws Exception {
        List<SealedRecord> records = store(3);
        try (FileChannel ch = FileChannel.open(segment(), StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(segment()) - 10);
        }
        try (AuditLog log = AuditLog.builder().singleChain().logId("r").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).build()).build()) {
            log.flush();
        }
        List<SealedRecord> back = Fixtures.readAll(dir, "r");
        assertThat(Fixtures.events(back, "audit.file.recovered")).singleElement()
                .satisfies(e -> assertThat(e.attributes()).containsEntry("length", (long) records.get(
                        records.size() - 1).lineLength() + 1 - 10));
        assertThat(Fixtures.verify("r", back).isValid()).isTrue();
    }

    @Test
    void aBadLineFollowedByGoodLinesFailsTheOpenNamingFileAndOffset() throws Exception {
        List<SealedRecord> records = store(5);
        byte[] bytes = Files.readAllBytes(segment());
        int header = Arrays.asList(LayoutTest.rawLines(segment()).toArray(new byte[0][])).get(0).length + 1;
        int second = header + records.get(0).lineLength() + 1;
        bytes[second + 30] ^= 0x01;
        Files.write(segment(), bytes);
        long before = Files.size(segment());
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            assertThatThrownBy(() -> sink.open("r")).isInstanceOf(IOException.class)
                    .hasMessageContaining("00000000000000000000.jsonl")
                    .hasMessageContaining("byte offset " + second)
                    .hasMessageContaining("refusing to append");
        }
        assertThat(Files.size(segment())).isEqualTo(before); // nothing truncated
        assertThat(Fixtures.filesMatching(dir.resolve("r"), ".*quarantine.*")).isEmpty();
        // and the lock was released: the failure is repeatable, not "locked"
        try (FileAuditSink sink = FileAuditSink.builder(dir).build()) {
            assertThatThrownBy(() -> sink.open("r")).hasMessageContaining("byte offset " + second);
        }
    }

    @Test
    void aTornFooterIsQuarantinedAndTheSegmentGetsItsFooterAgainLater() throws Exception {
        List<SealedRecord> records = Fixtures.records("r", 30);
        try (FileAuditSink sink = FileAuditSink.builder(dir).segmentSize(4096).build()) {
            sink.open("r");
            sink.write(records.subList(0, 20));
        }
        Path seg = segment();
        assertThat(FileAuditReader.open(dir).segments("r").get(0).hasFooter()).isTrue();
        seg.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(seg) - 5);
        }
        try (FileAuditSink sink = FileAuditSink.builder(dir).segmentSize(4096).build()) {
            assertThat(sink.open("r")).get().extracting(h -> h.sequence()).isEqualTo(19L);
            assertThat(sink.takeNotices()).hasSize(1);
            sink.write(records.subList(20, records.size()));
        }
        assertThat(FileAuditReader.open(dir).segments("r").get(0).hasFooter()).isTrue();
        assertThat(Fixtures.readAll(dir, "r")).containsExactlyElementsOf(records);
    }
}
