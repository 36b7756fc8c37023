package dev.auditlog.file;

import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.PruneResult;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AuditLog.prune on a file log: whole old segments go only under a signed retention statement sealed into the chain
 * and anchored first (docs/FORMAT.md section 11); the verifier requires one wherever the log does not start at 0.
 */
class RetentionTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/ret", new SecureRandom());
    private static final String LOG = "ret";

    @TempDir
    Path tmp;
    private Path dir;
    private Path anchorDir;

    @BeforeEach
    void write() {
        dir = tmp.resolve("logs");
        anchorDir = tmp.resolve("anchor");
        append(0, 60);
    }

    private void append(int from, int count) {
        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(dir).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false).checkpoints(KEY).checkpointEvery(10, Duration.ofHours(1))
                .anchor(CheckpointAnchor.directory(anchorDir)).build()) {
            for (int i = 0; i < count; i++) {
                log.record(TckEvents.event(from + i));
                if (i % 2 == 1) {
                    log.flush(); // small batches, so the sink rotates often
                }
            }
        }
    }

    private AuditLog open(SigningKey key, boolean anchored) {
        AuditLog.Builder b = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(dir).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false).checkpoints(key).checkpointEvery(10, Duration.ofHours(1));
        if (anchored) {
            b.anchor(CheckpointAnchor.directory(anchorDir));
        }
        return b.build();
    }

    private PruneResult prune(long before) {
        try (AuditLog log = open(KEY, true)) {
            return log.prune(before);
        }
    }

    private Path logFile(String name) {
        return dir.resolve(LOG).resolve(name);
    }

    private VerificationReport verify() throws IOException {
        assertThat(CheckpointAnchor.directory(anchorDir).latest(LOG)).isPresent();
        try (FileAuditReader reader = FileAuditReader.open(dir)) {
            return LogVerifier.builder(KEY.verifierKey()).anchor(CheckpointAnchor.directory(anchorDir)).build()
                    .verify(reader, LOG);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(LOG))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    @Test
    void aPrunedLogVerifiesFromItsRetentionStatement() throws IOException {
        int before = segments().size();
        PruneResult result = prune(40);
        long first = result.firstKept();
        assertThat(first).isGreaterThan(0).isLessThanOrEqualTo(40);
        assertThat(result.pruned()).hasSize(1);
        assertThat(segments()).hasSizeLessThan(before);
        assertThat(logFile("pruned.retention")).exists();
        assertThat(logFile("pruned.checkpoint")).doesNotExist();
        assertThat(segments().get(0).getFileName().toString()).isEqualTo(String.format("%020d.jsonl", first));
        assertThat(CheckpointAnchor.directory(anchorDir).latestRetention(LOG)).isPresent();
        try (FileAuditReader r = FileAuditReader.open(dir); Stream<SealedRecord> s = r.read(LOG, first)) {
            SealedRecord statement = s.filter(x -> x.sequence() == result.statementSequence()).findFirst()
                    .orElseThrow();
            assertThat(statement.type()).isEqualTo(SealedRecord.TYPE_RETENTION);
            assertThat(statement.lineText()).startsWith("{\"v\":2,");
            assertThat(Files.readString(logFile("pruned.retention"))).isEqualTo(statement.lineText() + "\n");
        }

        VerificationReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.records()).isEqualTo(report.nextSequence() - first);
    }

    @Test
    void withoutTheStoredStatementTheMissingStartIsFound() throws IOException {
        prune(40);
        Files.delete(logFile("pruned.retention"));
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.SEGMENT_MISMATCH);
    }

    /** Issue 11 item 2: every checkpoint record carries what pruned.checkpoint needed; copying one proves nothing. */
    @Test
    void deletingOldSegmentsWithoutTheKeyFailsVerificationEvenWithACopiedCheckpoint() throws IOException {
        List<Path> files = segments();
        long cut = Long.parseLong(files.get(2).getFileName().toString().substring(0, 20));
        SealedRecord checkpoint;
        try (FileAuditReader r = FileAuditReader.open(dir); Stream<SealedRecord> s = r.read(LOG, cut)) {
            checkpoint = s.filter(x -> x.type().equals("checkpoint")).findFirst().orElseThrow();
        }
        // Cut the log at that checkpoint's size: it is the checkpoint record's own sequence number.
        long at = checkpoint.sequence();
        assertThat(at).isGreaterThanOrEqualTo(cut);
        Files.writeString(logFile("pruned.checkpoint"), checkpoint.checkpointNote().orElseThrow());
        StringBuilder range = new StringBuilder();
        checkpoint.checkpointRange().orElseThrow().forEach(h -> range.append(java.util.Base64.getEncoder()
                .encodeToString(h)).append('\n'));
        Files.writeString(logFile("pruned.range"), range);
        for (Path p : files.subList(0, 2)) {
            p.toFile().setWritable(true);
            Files.delete(p);
        }
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.RETENTION_INVALID);
        assertThat(report.findings().stream().map(Finding::message))
                .anyMatch(m -> m.contains("not a retention statement"));
    }

    @Test
    void reusingAnEarlierStatementToDeleteMoreFailsVerification() throws IOException {
        long first = prune(20).firstKept();
        List<Path> files = segments();
        for (Path p : files.subList(0, 2)) {
            p.toFile().setWritable(true);
            Files.delete(p);
        }
        assertThat(segments().get(0).getFileName().toString()).isNotEqualTo(String.format("%020d.jsonl", first));
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
    }

    @Test
    void aStatementSignedWithAnotherKeyIsRejected() throws IOException {
        prune(40);
        SigningKey forger = Ed25519Keys.generate("auditlog/ret", new SecureRandom());
        String line = Files.readString(logFile("pruned.retention")).strip();
        SealedRecord r = SealedRecord.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String note = r.statementNote().orElseThrow();
        String forged = dev.auditlog.integrity.SignedNote.sign(note.substring(0, note.indexOf("\n\n") + 1), forger);
        SealedRecord fake = new dev.auditlog.spi.RecordSealer(LOG, r.sequence(), new byte[32])
                .sealStatement(r.sealedAt(), SealedRecord.TYPE_RETENTION, forged, r.statementRange().orElseThrow());
        Files.writeString(logFile("pruned.retention"), fake.lineText() + "\n");
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.RETENTION_INVALID);
    }

    @Test
    void aPruneTheAnchorNeverSawIsFound() throws IOException {
        try (AuditLog log = open(KEY, false)) {
            log.prune(40);
        }
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings().stream().filter(f -> f.kind() == Finding.Kind.RETENTION_INVALID)
                .map(Finding::message)).anyMatch(m -> m.contains("anchor never received"));
    }

    @Test
    void aWrongKeyCannotEvenOpenTheLogSoNothingIsDeleted() throws IOException {
        List<Path> files = segments();
        SigningKey wrong = Ed25519Keys.generate("auditlog/ret", new SecureRandom());
        assertThatThrownBy(() -> open(wrong, true)).isInstanceOf(AuditException.class)
                .hasMessageContaining(KEY.verifierKey().keyIdHex()).hasMessageContaining(wrong.verifierKey().keyIdHex());
        assertThat(segments()).isEqualTo(files);
        assertThat(verify().findings()).isEmpty();
    }

    @Test
    void aBeforePastTheLastCheckpointIsRefusedAndNothingIsDeleted() throws IOException {
        List<Path> files = segments();
        try (AuditLog log = open(KEY, true)) {
            assertThatThrownBy(() -> log.prune(1_000_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("past the last checkpoint");
            assertThatThrownBy(() -> log.prune(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("before must be >= 1");
        }
        assertThat(segments().get(0)).isEqualTo(files.get(0));
        assertThat(logFile("pruned.retention")).doesNotExist();
    }

    @Test
    void aLogThatDoesNotVerifyIsNotPruned() throws IOException {
        Path second = segments().get(1);
        second.toFile().setWritable(true);
        String text = Files.readString(second);
        Files.writeString(second, text.replaceFirst("\"actor\":\\{\"id\":\"", "\"actor\":{\"id\":\"X"));
        List<Path> files = segments();
        try (AuditLog log = open(KEY, true)) {
            assertThatThrownBy(() -> log.prune(40)).isInstanceOf(AuditException.class)
                    .hasMessageContaining("does not verify").hasMessageContaining("nothing was deleted");
        }
        assertThat(segments().get(0)).isEqualTo(files.get(0));
        assertThat(logFile("pruned.retention")).doesNotExist();
    }

    @Test
    void aPrunedLogKeepsGrowingAndCanBePrunedAgain() throws IOException {
        long first = prune(30).firstKept();
        append(1000, 40);
        assertThat(verify().findings()).isEmpty();
        long again = prune(80).firstKept();
        assertThat(again).isGreaterThan(first);
        VerificationReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.records()).isEqualTo(report.nextSequence() - again);
    }

    @Test
    void everyClosedSegmentIsFollowedByACheckpointCoveringIt() throws IOException {
        Path other = tmp.resolve("segment-close");
        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(other).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false).checkpoints(KEY).checkpointEvery(1_000_000, Duration.ofHours(1)).build()) {
            for (int i = 0; i < 60; i++) {
                log.record(TckEvents.event(i));
                if (i % 2 == 1) {
                    log.flush();
                }
            }
        }
        List<dev.auditlog.spi.SealedRecord> records;
        try (FileAuditReader r = FileAuditReader.open(other); Stream<dev.auditlog.spi.SealedRecord> s = r.read(LOG, 0)) {
            records = s.toList();
        }
        List<Segment> segments = FileAuditReader.open(other).segments(LOG);
        assertThat(segments.size()).isGreaterThan(2);
        for (int i = 0; i + 1 < segments.size(); i++) {
            long nextFirst = segments.get(i + 1).firstSequence();
            // a checkpoint of at least the rotated segment's size, written soon after its footer
            assertThat(records.stream().filter(x -> x.type().equals("checkpoint"))
                    .filter(x -> x.sequence() >= nextFirst && x.sequence() < nextFirst + 8).count())
                    .as("checkpoint after segment %s", segments.get(i).fileName()).isGreaterThanOrEqualTo(1);
        }
    }

}
