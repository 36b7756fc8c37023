package dev.auditlog.file;

import dev.auditlog.AuditLog;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.CheckpointAnchor;
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

/** prune(): whole old segments go only after a signed retention checkpoint; the verifier starts from it. */
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
    void aPrunedLogVerifiesFromItsRetentionCheckpoint() throws IOException {
        int before = segments().size();
        long total = verify().nextSequence();
        long first = FileAuditSink.prune(dir, LOG, 40, KEY);
        assertThat(first).isGreaterThan(0).isLessThanOrEqualTo(40);
        assertThat(segments()).hasSizeLessThan(before);
        assertThat(dir.resolve(LOG).resolve("pruned.checkpoint")).exists();
        assertThat(segments().get(0).getFileName().toString()).isEqualTo(String.format("%020d.jsonl", first));

        VerificationReport report = verify();
        assertThat(report.findings()).isEmpty();
        assertThat(report.nextSequence()).isEqualTo(total);
        assertThat(report.records()).isEqualTo(total - first);
    }

    @Test
    void withoutTheRetentionCheckpointTheMissingStartIsFound() throws IOException {
        FileAuditSink.prune(dir, LOG, 40, KEY);
        Files.delete(dir.resolve(LOG).resolve("pruned.checkpoint"));
        Files.delete(dir.resolve(LOG).resolve("pruned.range"));
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.SEGMENT_MISMATCH);
    }

    @Test
    void aRetentionCheckpointSignedWithAnotherKeyIsRejected() throws IOException {
        FileAuditSink.prune(dir, LOG, 40, KEY);
        Path note = dir.resolve(LOG).resolve("pruned.checkpoint");
        Path other = tmp.resolve("other");
        Files.createDirectories(other.resolve(LOG));
        SigningKey forger = Ed25519Keys.generate("auditlog/ret", new SecureRandom());
        // Same text, signed by someone else.
        String text = Files.readString(note);
        String body = text.substring(0, text.indexOf("\n\n") + 1);
        Files.writeString(note, dev.auditlog.integrity.SignedNote.sign(body, forger));
        VerificationReport report = verify();
        assertThat(report.isValid()).isFalse();
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.CHECKPOINT_INVALID);
    }

    @Test
    void aPrunedLogKeepsGrowingAndCanBePrunedAgain() throws IOException {
        long first = FileAuditSink.prune(dir, LOG, 30, KEY);
        append(1000, 40);
        assertThat(verify().findings()).isEmpty();
        long again = FileAuditSink.prune(dir, LOG, 80, KEY);
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

    @Test
    void pruneValidatesItsArguments() {
        assertThatThrownBy(() -> FileAuditSink.prune(dir, LOG, -1, KEY)).hasMessageContaining("before");
        assertThatThrownBy(() -> FileAuditSink.prune(dir, "bad id", 1, KEY)).hasMessageContaining("logId");
        assertThatThrownBy(() -> FileAuditSink.prune(dir, LOG, 1, null)).isInstanceOf(NullPointerException.class);
    }
}
