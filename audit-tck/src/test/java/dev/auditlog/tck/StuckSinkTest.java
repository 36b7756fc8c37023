package dev.auditlog.tck;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditListener;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.FailoverSink;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.SinkFailure;
import dev.auditlog.SinkHealth;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No head-of-line poison: a record a store refuses is reported, recorded, warned about, and resolved without a gap. */
class StuckSinkTest {
    private static final Predicate<SealedRecord> POISON = r -> r.eventSummary()
            .filter(e -> e.action().equals("doc.poison")).isPresent();

    private static AuditEvent poison() {
        return AuditEvent.builder().action("doc.poison").actor(Actor.user("u")).outcome(Outcome.success()).build();
    }

    private static List<AuditEvent> events(List<SealedRecord> records, String action) {
        List<AuditEvent> out = new ArrayList<>();
        for (SealedRecord r : records) {
            r.event().filter(e -> e.action().equals(action)).ifPresent(out::add);
        }
        return out;
    }

    /** Advances the fake ticker by one backoff until the condition holds (the dispatcher retries on the ticker). */
    private static void until(FakeTicker ticker, BooleanSupplier condition) throws InterruptedException {
        BlockingQueue<Object> never = new LinkedBlockingQueue<>();
        for (int i = 0; i < 2000 && !condition.getAsBoolean(); i++) {
            ticker.advance(Duration.ofSeconds(1));
            never.poll(5, TimeUnit.MILLISECONDS); // let the dispatcher take its turn
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void aRefusedRecordIsRecordedReportedWarnedAboutAndResolvedWithoutAGap() throws Exception {
        FakeTicker ticker = new FakeTicker();
        MemorySink refusingStore = new MemorySink();
        RefusingSink refusing = RefusingSink.refusing(POISON, refusingStore);
        MemorySink other = new MemorySink();
        BlockingQueue<SinkHealth> stuck = new LinkedBlockingQueue<>();
        BlockingQueue<SinkFailure> failures = new LinkedBlockingQueue<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (AuditLog log = AuditLog.builder().singleChain().logId("stuck").shutdownHook(false).ticker(ticker)
                .retry(3, Duration.ofSeconds(1), Duration.ofSeconds(10)).sink(refusing).sink(other)
                .listener(new AuditListener() {
                    @Override
                    public void onSinkStuck(SinkHealth health) {
                        stuck.add(health);
                    }

                    @Override
                    public void onSinkFailure(SinkFailure failure) {
                        failures.add(failure);
                    }
                }).build()) {
            log.record(TckEvents.event(0));
            AuditReceipt bad = log.record(poison());
            AuditReceipt behind = log.record(TckEvents.event(1));
            until(ticker, () -> !stuck.isEmpty());
            SinkHealth h = stuck.take();
            assertThat(h.status()).isEqualTo(SinkHealth.Status.STUCK);
            assertThat(h.stuckSequence()).hasValue(bad.sequence());
            assertThat(h.reason().orElseThrow()).contains("value too long").doesNotContain("Sup3rS3cretPW");
            assertThat(log.sinkHealth().get(0).status()).isEqualTo(SinkHealth.Status.STUCK);
            assertThat(log.sinkHealth().get(1).status()).isEqualTo(SinkHealth.Status.OK);
            assertThat(log.metrics().failingSinks()).isEqualTo(1);
            // the poisoned record's receipt, and those behind it, fail loudly: nothing is skipped or silently held
            assertThatThrownBy(() -> bad.durable().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(AuditException.class).hasStackTraceContaining("refuses record "
                            + bad.sequence());
            until(ticker, () -> behind.durable().toCompletableFuture().isDone());
            // audit.sink.stuck is in the chain as soon as a sink can take it: the other sink has it
            until(ticker, () -> !events(other.records("stuck"), "audit.sink.stuck").isEmpty());
            AuditEvent record = events(other.records("stuck"), "audit.sink.stuck").get(0);
            assertThat(record.attributes()).containsEntry("record.sequence", bad.sequence())
                    .containsEntry("record.event.action", "doc.poison").containsKey("stuck.millis")
                    .containsKey("record.leaf.hash");
            assertThat((String) record.attributes().get("reason")).contains("value too long")
                    .doesNotContain("Sup3rS3cretPW");
            // a WARN at least every minute while it lasts (on the ticker), not one line and then silence
            int warnsBefore = count(err.toString(StandardCharsets.UTF_8), "still has not stored record");
            ticker.advance(Duration.ofMinutes(2));
            until(ticker, () -> count(err.toString(StandardCharsets.UTF_8), "still has not stored record")
                    > warnsBefore);
            // the operator resolves it; the chain stays whole and the records behind flow
            log.storeUnindexed(refusing.name(), bad.sequence());
            assertThat(refusing.unindexed()).isEqualTo(1);
            AuditReceipt after = log.record(TckEvents.event(2));
            until(ticker, () -> after.durable().toCompletableFuture().isDone());
            after.durable().toCompletableFuture().get();
            assertThat(log.sinkHealth().get(0).status()).isEqualTo(SinkHealth.Status.OK);
            assertThat(log.metrics().failingSinks()).isZero();
            assertThatThrownBy(() -> log.storeUnindexed("nope", 1)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            System.setErr(oldErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Sup3rS3cretPW");
        List<SealedRecord> stored = refusingStore.records("stuck");
        assertThat(stored).isEqualTo(other.records("stuck"));
        ChainVerifier v = ChainVerifier.fromGenesis("stuck");
        stored.forEach(v::accept);
        assertThat(v.finish().findings()).isEmpty();
        assertThat(events(stored, "audit.sink.unindexed")).hasSize(1);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aFailoverPrimaryStuckOnARefusedRecordIsReportedAndCloseSaysSo() throws Exception {
        MemorySink primaryStore = new MemorySink();
        MemorySink spool = new MemorySink();
        RefusingSink primary = RefusingSink.refusing(POISON, primaryStore);
        FailoverSink failover = FailoverSink.builder(primary, spool).probeInterval(Duration.ofNanos(1)).build();
        AuditLog log = AuditLog.builder().singleChain().logId("fo").shutdownHook(false).sink(failover).build();
        long poisonSeq = log.record(poison()).sequence();
        for (int i = 0; i < 20; i++) {
            log.record(TckEvents.event(i));
        }
        log.flush(); // all 20 acknowledged by the spool
        assertThat(failover.metrics().primaryStuckAt()).isEqualTo(poisonSeq);
        log.record(TckEvents.event(99)); // carries the notice into the chain
        log.flush();
        List<AuditEvent> notices = events(spool.records("fo"), "audit.sink.stuck");
        assertThat(notices).hasSize(1);
        assertThat(notices.get(0).attributes()).containsEntry("record.sequence", poisonSeq);
        assertThat(primaryStore.records("fo")).hasSize((int) poisonSeq);
        // resolved through the log: the record comes from the spool, the primary catches up
        log.storeUnindexed(failover.name(), poisonSeq);
        log.record(TckEvents.event(100));
        log.flush();
        assertThat(failover.metrics().primaryStuckAt()).isEqualTo(-1);
        log.close();
        assertThat(primaryStore.records("fo")).isEqualTo(spool.records("fo"));
    }

    @Test
    void closeDoesNotClaimEverythingWasStoredWhileAFailoverPrimaryIsStuck() {
        MemorySink primaryStore = new MemorySink();
        FailoverSink failover = FailoverSink.builder(RefusingSink.refusing(POISON, primaryStore), new MemorySink())
                .probeInterval(Duration.ofNanos(1)).build();
        AuditLog log = AuditLog.builder().singleChain().logId("fo2").shutdownHook(false).sink(failover).build();
        long seq = log.record(poison()).sequence();
        log.record(TckEvents.event(1));
        log.flush();
        assertThatThrownBy(log::close).isInstanceOf(AuditException.class)
                .hasMessageContaining("refuses record " + seq).hasMessageNotContaining("0 record(s) not stored")
                .hasMessageContaining("storeUnindexed");
    }
}
