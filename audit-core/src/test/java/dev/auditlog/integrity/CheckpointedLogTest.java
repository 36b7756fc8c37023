package dev.auditlog.integrity;

import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checkpoints written by the pipeline, anchored off the log, and checked by the verifier. */
class CheckpointedLogTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/cp", new SecureRandom(new byte[]{1}));
    private static final SigningKey OTHER = Ed25519Keys.generate("auditlog/cp", new SecureRandom(new byte[]{2}));

    @TempDir
    Path anchorDir;

    private static AuditEvent event(int i) {
        return AuditEvent.builder().action("document.read").actor(Actor.user("u" + i)).outcome(Outcome.success())
                .message("record " + i).build();
    }

    private List<SealedRecord> write(String logId, MemorySink sink, int count, CheckpointAnchor anchor) {
        try (AuditLog log = AuditLog.builder().logId(logId).sink(sink).shutdownHook(false).checkpoints(KEY)
                .ticker(() -> 0L) // timers never fire: only the count rule and close write checkpoints
                .checkpointEvery(10, Duration.ofHours(1)).anchor(anchor).build()) {
            for (int i = 0; i < count; i++) {
                log.record(event(i));
            }
        }
        return new ArrayList<>(sink.records(logId));
    }

    /** The chain this JVM's log {@code logId} writes (the instance id defaults to the host name). */
    private static String chain(String logId) {
        return ChainIds.of(logId, ChainIds.defaultInstanceId());
    }

    private static VerificationReport verify(String logId, List<SealedRecord> records, String anchored) {
        ChainVerifier.Builder b = ChainVerifier.builder(chain(logId)).publicKey(KEY.verifierKey());
        if (anchored != null) {
            b.anchored(anchored);
        }
        ChainVerifier v = b.build();
        records.forEach(v::accept);
        return v.finish();
    }

    private static SealedRecord edit(SealedRecord r, String from, String to) {
        return SealedRecord.parse(r.lineText().replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    /** Re-seals records from {@code from} on, as an attacker without the key would: the chain looks fine again. */
    private static List<SealedRecord> rechain(List<SealedRecord> records, int from) {
        List<SealedRecord> out = new ArrayList<>(records.subList(0, from));
        byte[] prev = from == 0 ? ChainHash.genesis(records.get(0).logId()) : records.get(from - 1).chainHash();
        for (int i = from; i < records.size(); i++) {
            String text = records.get(i).lineText();
            String body = text.substring(0, text.length() - 76);
            byte[] leaf = ChainHash.leaf(body.getBytes(StandardCharsets.UTF_8));
            prev = ChainHash.next(prev, leaf);
            out.add(SealedRecord.parse((body + ",\"chain\":\"" + java.util.HexFormat.of().formatHex(prev) + "\"}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void checkpointsAreWrittenEveryNRecordsAndAtCloseAndVerify() throws Exception {
        MemorySink sink = new MemorySink();
        CheckpointAnchor anchor = CheckpointAnchor.directory(anchorDir);
        List<SealedRecord> records = write("cp", sink, 35, anchor);
        List<SealedRecord> checkpoints = records.stream().filter(r -> r.type().equals("checkpoint")).toList();
        // started + 35 events: after every 10 records; after audit.log.stopped (39), one at close
        assertThat(checkpoints).extracting(SealedRecord::sequence).containsExactly(10L, 21L, 32L, 40L);
        assertThat(records.get(records.size() - 1).type()).isEqualTo("checkpoint"); // final one at close
        String anchored = anchor.latest(chain("cp")).orElseThrow();
        Checkpoint last = Checkpoint.verify(anchored, KEY.verifierKey());
        assertThat(last.size()).isEqualTo(records.size() - 1);

        VerificationReport report = verify("cp", records, anchored);
        assertThat(report.findings()).isEmpty();
        assertThat(report.checkpoints()).isEqualTo(checkpoints.size());
        assertThat(report.anchoredSize()).isEqualTo(records.size() - 1);
    }

    @Test
    void aReopenedLogResumesItsTreeFromTheLastCheckpoint() {
        MemorySink sink = new MemorySink();
        write("resume-cp", sink, 25, CheckpointAnchor.directory(anchorDir));
        List<SealedRecord> all = write("resume-cp", sink.reopen(), 17, CheckpointAnchor.directory(anchorDir));
        assertThat(verify("resume-cp", all, null).findings()).isEmpty();
    }

    @Test
    void aCutOffTailIsFoundAgainstTheAnchor() throws Exception {
        CheckpointAnchor anchor = CheckpointAnchor.directory(anchorDir);
        List<SealedRecord> records = write("cut", new MemorySink(), 30, anchor);
        List<SealedRecord> cut = records.subList(0, records.size() - 5);
        VerificationReport report = verify("cut", cut, anchor.latest(chain("cut")).orElseThrow());
        assertThat(report.firstFinding()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.TRUNCATED);
            assertThat(f.sequence()).isEqualTo(cut.size());
        });
        // Without the anchor, the chain alone cannot tell.
        assertThat(verify("cut", cut, null).isValid()).isTrue();
    }

    @Test
    void anEditRechainedWithoutTheKeyIsCaughtByTheNextCheckpoint() {
        List<SealedRecord> records = write("rechain", new MemorySink(), 30, CheckpointAnchor.directory(anchorDir));
        records.set(4, edit(records.get(4), "record 3", "record X"));
        List<SealedRecord> forged = rechain(records, 4);
        VerificationReport report = verify("rechain", forged, null);
        assertThat(report.firstFinding()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.CHECKPOINT_MISMATCH);
            assertThat(f.sequence()).isGreaterThan(4);
        });
    }

    @Test
    void aWholeLogRewrittenWithTheKeyIsCaughtByTheAnchor() throws Exception {
        CheckpointAnchor anchor = CheckpointAnchor.directory(anchorDir);
        write("rewrite", new MemorySink(), 30, anchor);
        String anchored = anchor.latest(chain("rewrite")).orElseThrow();
        // The attacker holds the key and writes a new history of the same log id and length.
        MemorySink forged = new MemorySink();
        List<SealedRecord> rewritten = write("rewrite", forged, 30, CheckpointAnchor.directory(anchorDir.resolve("x")));
        VerificationReport report = verify("rewrite", rewritten, anchored);
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.ANCHOR_MISMATCH);
        assertThat(verify("rewrite", rewritten, null).isValid()).isTrue();
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRejected() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId("otherkey").sink(sink).shutdownHook(false).checkpoints(OTHER)
                .build()) {
            log.record(event(0));
        }
        VerificationReport report = verify("otherkey", sink.records("otherkey"), null);
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.CHECKPOINT_INVALID);
        assertThat(report.isValid()).isFalse();
    }

    @Test
    void anIdleLogStillWritesHeartbeatCheckpoints() {
        MemorySink sink = new MemorySink();
        long[] nanos = {0};
        try (AuditLog log = AuditLog.builder().logId("idle").sink(sink).shutdownHook(false).checkpoints(KEY)
                .ticker(() -> nanos[0]).checkpointEvery(1_000_000, Duration.ofMillis(20)).build()) {
            for (int beat = 1; beat <= 3; beat++) {
                nanos[0] += Duration.ofMillis(19).toNanos();
                log.flush();
                assertThat(sink.records("idle").stream().filter(r -> r.type().equals("checkpoint")))
                        .hasSize(beat - 1);
                nanos[0] += Duration.ofMillis(1).toNanos();
                log.flush(); // runs the due timer and waits for the checkpoint it queued
                assertThat(sink.records("idle").stream().filter(r -> r.type().equals("checkpoint")))
                        .hasSize(beat);
            }
            assertThat(log.metrics().recorded()).isEqualTo(4); // audit.log.started and three heartbeats
        }
        assertThat(verify("idle", sink.records("idle"), null).findings()).isEmpty();
    }

    @Test
    void staleCheckpointsAreAWarning() {
        List<SealedRecord> records = write("stale", new MemorySink(), 3, CheckpointAnchor.directory(anchorDir));
        ChainVerifier v = ChainVerifier.builder(chain("stale")).publicKey(KEY.verifierKey())
                .maxStaleness(Duration.ofMinutes(5), Clock.fixed(Instant.now().plus(Duration.ofHours(1)),
                        ZoneOffset.UTC)).build();
        records.forEach(v::accept);
        VerificationReport report = v.finish();
        assertThat(report.isValid()).isTrue();
        assertThat(report.hasWarnings()).isTrue();
        assertThat(report.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.STALE);
    }

    @Test
    void checkpointPayloadCarriesTheSignedNoteAndTheRange() {
        List<SealedRecord> records = write("payload", new MemorySink(), 12, CheckpointAnchor.directory(anchorDir));
        SealedRecord cp = records.stream().filter(r -> r.type().equals("checkpoint")).findFirst().orElseThrow();
        assertThat(cp.checkpointNote().orElseThrow()).startsWith("auditlog/" + chain("payload") + "\n" + cp.sequence() + "\n");
        assertThat(cp.checkpointRange().orElseThrow()).hasSize(Long.bitCount(cp.sequence()));
    }
}
