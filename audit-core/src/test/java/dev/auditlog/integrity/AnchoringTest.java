package dev.auditlog.integrity;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Anchoring runs beside the dispatcher: a slow anchor never holds records back, and it gets the newest checkpoint. */
class AnchoringTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/anchoring", new SecureRandom());

    /** Blocks its first call until released; keeps every note it was given. */
    static final class GatedAnchor implements CheckpointAnchor {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> notes = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "gated";
        }

        @Override
        public void anchor(String logId, String signedCheckpoint) throws IOException {
            entered.countDown();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            notes.add(signedCheckpoint);
        }
    }

    private static AuditEvent event(int i) {
        return AuditEvent.builder().action("document.read").actor(Actor.user("u" + i)).outcome(Outcome.success())
                .build();
    }

    private static AuditLog.Builder log(MemorySink sink, CheckpointAnchor anchor) {
        return AuditLog.builder().singleChain().logId("anchoring").sink(sink).shutdownHook(false).checkpoints(KEY)
                .ticker(() -> 0L) // only the count rule and close write checkpoints
                .checkpointEvery(10, Duration.ofHours(1)).anchor(anchor);
    }

    private static long checkpointSize(String note) {
        return Long.parseLong(note.split("\n")[1]);
    }

    @Test
    void aBlockedAnchorHoldsNoReceiptBackAndThenGetsTheNewestCheckpoint() throws Exception {
        MemorySink sink = new MemorySink();
        GatedAnchor anchor = new GatedAnchor();
        String chain;
        try (AuditLog log = log(sink, anchor).build()) {
            chain = log.chainId();
            List<AuditReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                receipts.add(log.record(event(i)));
            }
            assertThat(anchor.entered.await(30, TimeUnit.SECONDS)).as("the first checkpoint reached the anchor").isTrue();
            for (AuditReceipt r : receipts) {
                // the anchor is still blocked in its first call: the dispatcher goes on storing and completing
                r.durable().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            List<SealedRecord> stored = sink.records(log.chainId());
            long newest = stored.stream().filter(r -> r.checkpointNote().isPresent())
                    .mapToLong(SealedRecord::sequence).max().orElseThrow();
            long checkpoints = stored.stream().filter(r -> r.checkpointNote().isPresent()).count();
            assertThat(checkpoints).isGreaterThanOrEqualTo(4);
            anchor.release.countDown();
            log.flush(); // returns once the checkpoints flushed are anchored
            assertThat(anchor.notes).hasSizeLessThan((int) checkpoints); // the ones in between were skipped
            assertThat(checkpointSize(anchor.notes.get(anchor.notes.size() - 1))).isGreaterThanOrEqualTo(newest);
        }
        String last = anchor.notes.get(anchor.notes.size() - 1);
        List<SealedRecord> all = sink.records(chain);
        SealedRecord finalCheckpoint = all.get(all.size() - 1);
        assertThat(finalCheckpoint.checkpointNote()).as("close anchors the final checkpoint").contains(last);
        for (int i = 1; i < anchor.notes.size(); i++) {
            assertThat(checkpointSize(anchor.notes.get(i))).isGreaterThan(checkpointSize(anchor.notes.get(i - 1)));
        }
    }

    @Test
    void afterAnAnchorCallTheNextWaitsASecondOfTheLogsTickerUnlessFlushWaits() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        List<String> notes = new CopyOnWriteArrayList<>();
        CountDownLatch two = new CountDownLatch(2);
        CheckpointAnchor recording = new CheckpointAnchor() {
            @Override
            public String name() {
                return "recording";
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) {
                notes.add(signedCheckpoint);
                two.countDown();
            }
        };
        MemorySink sink = new MemorySink();
        try (AuditLog log = log(sink, recording).ticker(now::get).build()) {
            for (int i = 0; i < 10; i++) {
                log.record(event(i));
            }
            log.flush(); // the first checkpoint, anchored at once
            assertThat(notes).hasSize(1);
            List<AuditReceipt> receipts = new ArrayList<>();
            for (int i = 10; i < 40; i++) {
                receipts.add(log.record(event(i)));
            }
            for (AuditReceipt r : receipts) {
                r.durable().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            long newest = sink.records(log.chainId()).stream().filter(r -> r.checkpointNote().isPresent())
                    .mapToLong(SealedRecord::sequence).max().orElseThrow();
            assertThat(notes).as("within a second of the last call: nothing anchored yet").hasSize(1);
            now.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
            assertThat(two.await(10, TimeUnit.SECONDS)).as("anchored once the ticker passed a second").isTrue();
            assertThat(checkpointSize(notes.get(1))).isEqualTo(newest);
        }
    }

    @Test
    void aFailingAnchorIsRecordedInTheLogEvenForTheFinalCheckpoint() {
        MemorySink sink = new MemorySink();
        CheckpointAnchor failing = new CheckpointAnchor() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) throws IOException {
                throw new IOException("witness unreachable");
            }
        };
        String chain;
        try (AuditLog log = log(sink, failing).build()) {
            chain = log.chainId();
            log.record(event(1)); // fewer than 10: only close writes a checkpoint
        }
        List<SealedRecord> all = sink.records(chain);
        assertThat(all.stream().filter(r -> r.checkpointNote().isPresent()).count()).isEqualTo(1);
        assertThat(all.stream().flatMap(r -> r.eventSummary().stream())
                .filter(e -> e.action().equals("audit.anchor.failed"))).hasSize(1);
    }
}
