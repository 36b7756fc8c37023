package dev.auditlog.file;

import dev.auditlog.AuditEvent;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurabilityTest {
    @TempDir
    Path dir;

    /** Counts forces and fails the ones whose number is in {@code failAt}. */
    static final class ScriptedForcer implements Forcer {
        final AtomicInteger calls = new AtomicInteger();
        final List<Integer> failAt = new ArrayList<>();
        final List<Path> forced = new ArrayList<>();

        @Override
        public void force(FileChannel channel, Path file) throws IOException {
            int n = calls.incrementAndGet();
            if (failAt.contains(n)) {
                throw new IOException("injected fsync failure #" + n + " on " + file.getFileName());
            }
            forced.add(file);
            channel.force(false);
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void everyPolicyProducesAReadableVerifiableLog(Durability durability) throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        // the clock stands still: INTERVAL's interval never passes, so its forces are as exact as the others'
        dev.auditlog.tck.MutableClock clock = new dev.auditlog.tck.MutableClock();
        List<SealedRecord> records = Fixtures.records("d", 30);
        int afterFlush;
        try (FileAuditSink sink = FileAuditSink.builder(dir).durability(durability).clock(clock).forcer(forcer)
                .build()) {
            sink.open("d");
            for (int i = 0; i < records.size(); i += 4) {
                sink.write(records.subList(i, Math.min(records.size(), i + 4)));
            }
            int beforeFlush = forcer.calls.get();
            switch (durability) {
                case GROUP_COMMIT -> assertThat(beforeFlush).isEqualTo(1 + 8); // header + one per batch
                case EVERY_RECORD -> assertThat(beforeFlush).isEqualTo(1 + records.size());
                case INTERVAL, NONE -> assertThat(beforeFlush).isEqualTo(1); // the header, on segment creation
            }
            sink.flush();
            afterFlush = forcer.calls.get();
            // flush forces exactly when something is unforced: only INTERVAL and NONE leave records unforced
            boolean unforced = durability == Durability.INTERVAL || durability == Durability.NONE;
            assertThat(afterFlush).isEqualTo(beforeFlush + (unforced ? 1 : 0));
        }
        assertThat(forcer.calls.get()).as("close after flush: nothing left to force").isEqualTo(afterFlush);
        List<SealedRecord> back = Fixtures.readAll(dir, "d");
        assertThat(back).containsExactlyElementsOf(records);
        assertThat(Fixtures.verify("d", back).isValid()).isTrue();
    }

    private static final dev.auditlog.integrity.SigningKey KEY =
            dev.auditlog.integrity.Ed25519Keys.generate("auditlog/durability", new java.security.SecureRandom());

    /** {@code count} events sealed by a signed log over memory, a checkpoint every 10 records. */
    private static List<SealedRecord> checkpointed(String logId, int count) {
        dev.auditlog.MemorySink memory = new dev.auditlog.MemorySink();
        try (dev.auditlog.AuditLog log = dev.auditlog.AuditLog.builder().singleChain().logId(logId).sink(memory)
                .shutdownHook(false).checkpoints(KEY).checkpointEvery(10, java.time.Duration.ofHours(1)).build()) {
            for (int i = 0; i < count; i++) {
                log.record(dev.auditlog.tck.TckEvents.event(i));
            }
        }
        return memory.records(logId);
    }

    private static String lastNote(List<SealedRecord> records) {
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).checkpointNote().isPresent()) {
                return records.get(i).checkpointNote().get();
            }
        }
        throw new AssertionError("no checkpoint among " + records.size() + " records");
    }

    private String registryEntry(String logId) throws IOException {
        return Files.readString(dir.resolve(ChainRegistry.DIR).resolve(logId + ".checkpoint"));
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"INTERVAL", "NONE"})
    void aCheckpointReachesTheRegistryOnlyAfterItsSegmentIsForced(Durability durability) throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        List<SealedRecord> records = checkpointed("c", 25);
        try (FileAuditSink sink = FileAuditSink.builder(dir).durability(durability)
                .clock(new dev.auditlog.tck.MutableClock()).forceInterval(java.time.Duration.ofHours(1))
                .forcer(forcer).build()) {
            sink.open("c");
            sink.write(records);
            // written to the OS, not forced: a power loss could take the checkpoint, so the registry must not name it
            assertThat(registryEntry("c")).isEmpty();
            sink.flush();
            assertThat(registryEntry("c")).isEqualTo(lastNote(records));
            Path segment = forcer.forced.get(1);
            assertThat(segment.getFileName().toString()).endsWith(".jsonl");
            assertThat(forcer.forced.get(2).getFileName().toString()).isEqualTo(".c.checkpoint.tmp");
        }
    }

    @Test
    void underGroupCommitTheRegistryFollowsTheBatchForce() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        List<SealedRecord> records = checkpointed("g", 25);
        try (FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build()) {
            sink.open("g");
            sink.write(records.subList(0, 5)); // no checkpoint yet
            assertThat(registryEntry("g")).isEmpty();
            sink.write(records.subList(5, records.size()));
            assertThat(registryEntry("g")).isEqualTo(lastNote(records));
            assertThat(forcer.forced.stream().map(p -> p.getFileName().toString()).toList())
                    .endsWith(Fixtures.segmentFiles(dir.resolve("g")).get(0).getFileName().toString(),
                            ".g.checkpoint.tmp");
        }
    }

    @Test
    void aCheckpointInABatchWhoseForceFailedIsPublishedOnlyByTheRetry() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        forcer.failAt.add(2); // header=1, the batch = 2 fails
        List<SealedRecord> records = checkpointed("r", 25);
        try (FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build()) {
            sink.open("r");
            assertThatThrownBy(() -> sink.write(records)).isInstanceOf(IOException.class);
            assertThat(registryEntry("r")).isEmpty();
            sink.write(records);
            assertThat(registryEntry("r")).isEqualTo(lastNote(records));
        }
        assertThat(Fixtures.readAll(dir, "r")).containsExactlyElementsOf(records);
    }

    @Test
    void closeForcesAndThenPublishesThePendingCheckpoint() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        List<SealedRecord> records = checkpointed("n", 25);
        FileAuditSink sink = FileAuditSink.builder(dir).durability(Durability.NONE).forcer(forcer).build();
        sink.open("n");
        sink.write(records);
        assertThat(registryEntry("n")).isEmpty();
        sink.close();
        assertThat(registryEntry("n")).isEqualTo(lastNote(records));
    }

    @Test
    void intervalForcesOnlyAfterTheIntervalAndOnFlush() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        dev.auditlog.tck.MutableClock clock = new dev.auditlog.tck.MutableClock();
        List<SealedRecord> records = Fixtures.records("i", 8);
        try (FileAuditSink sink = FileAuditSink.builder(dir).durability(Durability.INTERVAL).clock(clock)
                .forceInterval(java.time.Duration.ofSeconds(1)).forcer(forcer).build()) {
            sink.open("i");
            sink.write(records.subList(0, 2));
            sink.write(records.subList(2, 4));
            assertThat(forcer.calls.get()).isEqualTo(1); // only the header
            clock.advance(java.time.Duration.ofSeconds(1));
            sink.write(records.subList(4, 6));
            assertThat(forcer.calls.get()).isEqualTo(2);
            sink.write(records.subList(6, 8));
            assertThat(forcer.calls.get()).isEqualTo(2);
            sink.flush();
            assertThat(forcer.calls.get()).isEqualTo(3);
            sink.flush(); // nothing unforced
            assertThat(forcer.calls.get()).isEqualTo(3);
        }
    }

    @Test
    void auditLogFlushForcesAnIntervalSinkAfterItsRecordsAreWritten() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        try (dev.auditlog.AuditLog log = dev.auditlog.AuditLog.builder().singleChain().logId("iv").shutdownHook(false)
                .sink(FileAuditSink.builder(dir).durability(Durability.INTERVAL)
                        .forceInterval(java.time.Duration.ofHours(1)).forcer(forcer).build()).build()) {
            for (int i = 0; i < 20; i++) {
                log.record(dev.auditlog.tck.TckEvents.event(i));
            }
            int before = forcer.calls.get();
            log.flush();
            // flush() returns only after the sink forced the segment holding everything recorded before it
            assertThat(forcer.calls.get()).isGreaterThan(before);
            assertThat(forcer.forced.get(forcer.forced.size() - 1).getFileName().toString())
                    .isEqualTo("00000000000000000000.jsonl");
        }
    }

    @Test
    void aFailedForceAbandonsTheSegmentAndTheRetryGoesToANewOne() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        forcer.failAt.add(3); // header=1, batch 0..4 = 2, batch 5..9 = 3 fails
        List<SealedRecord> records = Fixtures.records("f", 13);
        FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build();
        sink.open("f");
        sink.write(records.subList(0, 5));
        assertThatThrownBy(() -> sink.write(records.subList(5, 10))).isInstanceOf(IOException.class)
                .hasMessageContaining("abandoned").hasMessageContaining("00000000000000000000.jsonl");
        List<AuditEvent> notices = sink.takeNotices();
        assertThat(notices).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("audit.file.segment_abandoned");
            assertThat(e.attributes()).containsEntry("file", "00000000000000000000.jsonl")
                    .containsEntry("first_unforced_sequence", 5L);
            assertThat((String) e.attributes().get("reason")).contains("injected fsync failure");
        });
        assertThat(sink.takeNotices()).isEmpty();
        // the log retries the same batch, then goes on
        sink.write(records.subList(5, 10));
        sink.write(records.subList(10, records.size()));
        sink.close();

        Path logDir = dir.resolve("f");
        assertThat(Fixtures.segmentFiles(logDir)).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000000.jsonl", "00000000000000000005.jsonl");
        // the abandoned segment still holds the failed batch: the overlap
        assertThat(LayoutTest.rawLines(logDir.resolve("00000000000000000000.jsonl"))).hasSize(11);
        Segment second = FileAuditReader.open(dir).segments("f").get(1);
        assertThat(second.previous()).get().satisfies(p -> {
            assertThat(p.file()).isEqualTo("00000000000000000000.jsonl");
            assertThat(p.lastSequence()).isEqualTo(4);
            assertThat(p.records()).isEqualTo(10);
            assertThat(p.sha256()).isEmpty(); // segment format 2
        });
        List<SealedRecord> back = Fixtures.readAll(dir, "f");
        assertThat(back).containsExactlyElementsOf(records); // each record once
        assertThat(Fixtures.verify("f", back).isValid()).isTrue();

        // and a reopened sink resumes from the new segment
        try (FileAuditSink again = FileAuditSink.builder(dir).build()) {
            assertThat(again.open("f")).get().extracting(h -> h.sequence()).isEqualTo(14L);
        }
    }

    @Test
    void aProcessThatStopsAfterAFailedForceNeverAppendsToThatSegmentAgain() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        forcer.failAt.add(3); // header=1, batch 0..4 = 2, batch 5..9 = 3 fails
        List<SealedRecord> records = Fixtures.records("s", 13);
        FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build();
        sink.open("s");
        sink.write(records.subList(0, 5));
        assertThatThrownBy(() -> sink.write(records.subList(5, 10))).isInstanceOf(IOException.class);
        sink.close(); // the process stops before the log retries

        Path logDir = dir.resolve("s");
        Path first = logDir.resolve("00000000000000000000.jsonl");
        byte[] abandonedBytes = Files.readAllBytes(first);
        try (FileAuditSink again = FileAuditSink.builder(dir).build()) {
            // records 5..9 are valid sealed records of unknown durability: kept, and copied into a new segment
            assertThat(again.open("s")).get().extracting(h -> h.sequence()).isEqualTo(9L);
            assertThat(again.takeNotices()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("audit.file.segment_abandoned");
                assertThat(e.attributes()).containsEntry("first_unforced_sequence", 5L);
            });
            again.write(records.subList(10, records.size()));
        }
        assertThat(Files.readAllBytes(first)).isEqualTo(abandonedBytes); // never appended to again
        assertThat(Fixtures.segmentFiles(logDir)).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000000.jsonl", "00000000000000000005.jsonl");
        List<SealedRecord> back = Fixtures.readAll(dir, "s");
        assertThat(back).containsExactlyElementsOf(records);
        assertThat(Fixtures.verify("s", back).isValid()).isTrue();
    }

    @Test
    void recordsWrittenAfterACopyForwardAreRecognisedWhenRedelivered() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        forcer.failAt.add(3); // header=1, batch 0..4 = 2, batch 5..9 = 3 fails
        List<SealedRecord> records = Fixtures.records("c", 13);
        FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build();
        sink.open("c");
        sink.write(records.subList(0, 5));
        assertThatThrownBy(() -> sink.write(records.subList(5, 10))).isInstanceOf(IOException.class);
        sink.close(); // the process stops before the log retries

        try (FileAuditSink again = FileAuditSink.builder(dir).build()) {
            assertThat(again.open("c")).get().extracting(h -> h.sequence()).isEqualTo(9L); // 5..9 copied forward
            again.write(records.subList(10, records.size()));
            // every record of this batch is stored with the same bytes: a redelivery, accepted and not written twice
            again.write(records.subList(8, records.size()));
        }
        assertThat(Fixtures.readAll(dir, "c")).containsExactlyElementsOf(records);
    }

    @Test
    void aFailedForceOnTheFirstBatchOfASegmentMovesItAside() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        forcer.failAt.add(2); // header=1, first batch = 2 fails
        List<SealedRecord> records = Fixtures.records("g", 3);
        try (FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build()) {
            sink.open("g");
            assertThatThrownBy(() -> sink.write(records.subList(0, 3))).isInstanceOf(IOException.class);
            assertThat(sink.takeNotices()).hasSize(1);
            sink.write(records);
        }
        Path logDir = dir.resolve("g");
        assertThat(Fixtures.segmentFiles(logDir)).hasSize(1);
        assertThat(Fixtures.filesMatching(logDir, ".*\\.abandoned-.*")).hasSize(1);
        assertThat(Fixtures.readAll(dir, "g")).containsExactlyElementsOf(records);
    }

    @Test
    void overlappingRecordsThatDifferAreReportedAsCorruption() throws Exception {
        ScriptedForcer forcer = new ScriptedForcer();
        forcer.failAt.add(3);
        List<SealedRecord> records = Fixtures.records("h", 8);
        try (FileAuditSink sink = FileAuditSink.builder(dir).forcer(forcer).build()) {
            sink.open("h");
            sink.write(records.subList(0, 3));
            assertThatThrownBy(() -> sink.write(records.subList(3, 6))).isInstanceOf(IOException.class);
            sink.write(records.subList(3, 10));
        }
        Path abandoned = dir.resolve("h").resolve("00000000000000000000.jsonl");
        abandoned.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(abandoned);
        // change one byte inside the sealedAt of the last (overlapping) record of the abandoned segment
        int lastLineStart = lastIndexOf(bytes, (byte) '\n', bytes.length - 2) + 1;
        int at = indexOf(bytes, "sealedAt", lastLineStart) + 14;
        bytes[at] = (byte) (bytes[at] == '1' ? '2' : '1');
        Files.write(abandoned, bytes);
        assertThatThrownBy(() -> Fixtures.readAll(dir, "h")).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("00000000000000000000.jsonl").hasMessageContaining("byte offset " + lastLineStart)
                .hasMessageContaining("different bytes");
    }

    static int lastIndexOf(byte[] a, byte b, int from) {
        for (int i = from; i >= 0; i--) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(byte[] a, String s, int from) {
        byte[] p = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= a.length - p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (a[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
