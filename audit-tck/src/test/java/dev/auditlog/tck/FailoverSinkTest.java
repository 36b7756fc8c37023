package dev.auditlog.tck;

import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.FailoverSink;
import dev.auditlog.MemorySink;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailoverSinkTest {
    private final MemorySink primaryStore = new MemorySink();
    private final MemorySink spoolStore = new MemorySink();

    private static AuditLog.Builder log(String id) {
        return AuditLog.builder().singleChain().logId(id).shutdownHook(false).retry(2, Duration.ofMillis(1), Duration.ofMillis(2));
    }

    private static void assertCompleteAndValid(List<SealedRecord> records, String logId) {
        ChainVerifier v = ChainVerifier.fromGenesis(logId);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).sequence()).isEqualTo(i);
            v.accept(records.get(i));
        }
        assertThat(v.finish().findings()).isEmpty();
    }

    @Test
    void anOutageIsSpooledAndDrainedInOrderExactlyOnce() {
        FailingSink primary = FailingSink.failingTimes(0, primaryStore);
        FailoverSink failover = FailoverSink.builder(primary, spoolStore).probeInterval(Duration.ofNanos(1)).build();
        List<AuditReceipt> receipts = new ArrayList<>();
        try (AuditLog log = log("fo").sink(failover).build()) {
            for (int i = 0; i < 50; i++) {
                receipts.add(log.record(TckEvents.event(i)));
            }
            log.flush();
            primary.failNext(Integer.MAX_VALUE); // the outage starts
            for (int i = 50; i < 150; i++) {
                receipts.add(log.record(TckEvents.event(i)));
            }
            log.flush(); // acknowledged by the spool while the primary is down
            FailoverSink.Metrics during = failover.metrics();
            assertThat(during.unsent()).isGreaterThanOrEqualTo(100);
            assertThat(during.spooled()).isGreaterThanOrEqualTo(100);
            assertThat(primaryStore.records("fo")).hasSizeLessThan(spoolStore.records("fo").size());
            primary.heal();
            for (int i = 150; i < 160; i++) {
                receipts.add(log.record(TckEvents.event(i)));
            }
            log.flush();
            FailoverSink.Metrics after = failover.metrics();
            assertThat(after.unsent()).isZero();
            assertThat(after.drains()).isEqualTo(1);
            assertThat(after.drained()).isGreaterThanOrEqualTo(100);
            assertThat(after.primaryFailures()).isGreaterThanOrEqualTo(1);
        }
        assertThat(receipts).allSatisfy(r -> assertThat(r.durable().toCompletableFuture()).isCompleted());
        List<SealedRecord> inPrimary = primaryStore.records("fo");
        assertThat(inPrimary).isEqualTo(spoolStore.records("fo"));
        assertCompleteAndValid(inPrimary, "fo");
        List<String> actions = inPrimary.stream().filter(r -> r.event().isPresent())
                .map(r -> r.event().get().action()).toList();
        assertThat(actions).containsSubsequence("audit.sink.failover", "audit.sink.drained");
    }

    @Test
    void theFailedPrimaryIsProbedAgainOnlyOnceTheProbeIntervalHasPassedOnTheTicker() {
        FailingSink primary = FailingSink.always(primaryStore);
        FakeTicker ticker = new FakeTicker();
        FailoverSink failover = FailoverSink.builder(primary, spoolStore).probeInterval(Duration.ofSeconds(5))
                .ticker(ticker).build();
        try (AuditLog log = log("probe").sink(failover).build()) {
            log.record(TckEvents.event(0));
            log.flush(); // the primary failed, the spool took the batch
            int tried = primary.attempts();
            assertThat(tried).isPositive();
            for (int i = 1; i <= 3; i++) {
                ticker.advance(Duration.ofSeconds(1));
                log.record(TckEvents.event(i));
                log.flush();
            }
            assertThat(primary.attempts()).as("not probed within 5 s of the failure").isEqualTo(tried);
            ticker.advance(Duration.ofSeconds(2));
            primary.heal();
            log.record(TckEvents.event(4));
            log.flush();
            assertThat(primary.attempts()).as("probed once 5 s have passed").isGreaterThan(tried);
            assertThat(failover.metrics().unsent()).isZero();
        }
        assertCompleteAndValid(primaryStore.records("probe"), "probe");
    }

    @Test
    void aFullSpoolRefusesWritesSoReceiptsFail() {
        FailingSink primary = FailingSink.always(primaryStore);
        FailoverSink failover = FailoverSink.builder(primary, spoolStore).maxUnsent(20)
                .probeInterval(Duration.ofHours(1)).build();
        AuditLog log = log("full").sink(failover).maxBatchSize(5).build();
        List<AuditReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            receipts.add(log.record(TckEvents.event(i)));
        }
        assertThatThrownBy(log::flush).isInstanceOf(AuditException.class);
        assertThat(receipts).anySatisfy(r -> assertThat(r.durable().toCompletableFuture()).isCompletedExceptionally());
        assertThat(failover.metrics().unsent()).isLessThanOrEqualTo(20);
        assertThatThrownBy(log::close).isInstanceOf(AuditException.class);
    }

    @Test
    void acknowledgePrimaryFailsReceiptsWhileOnlySpooled() {
        FailingSink primary = FailingSink.always(primaryStore);
        FailoverSink failover = FailoverSink.builder(primary, spoolStore)
                .acknowledge(FailoverSink.Acknowledge.PRIMARY).probeInterval(Duration.ofHours(1)).build();
        AuditLog log = log("ackprimary").sink(failover).build();
        AuditReceipt r = log.record(TckEvents.event(0));
        assertThatThrownBy(r::await).isInstanceOf(AuditException.class);
        assertThat(spoolStore.records("ackprimary")).isNotEmpty();
        assertThatThrownBy(log::close).isInstanceOf(AuditException.class);
    }

    @Test
    void aRestartDrainsWhatACrashLeftInTheSpool() {
        FailingSink primary = FailingSink.always(primaryStore);
        AuditLog log = log("restart").sink(FailoverSink.builder(primary, spoolStore)
                .probeInterval(Duration.ofHours(1)).build()).build();
        for (int i = 0; i < 30; i++) {
            log.record(TckEvents.event(i));
        }
        log.flush();
        log.close();
        int spooled = spoolStore.records("restart").size();
        assertThat(primaryStore.records("restart")).hasSizeLessThan(spooled);
        // The process comes back with the database up: open drains the spool before anything new.
        try (AuditLog again = log("restart").sink(FailoverSink.builder(primaryStore.reopen(), spoolStore.reopen())
                .build()).build()) {
            again.record(TckEvents.event(99));
        }
        assertCompleteAndValid(primaryStore.records("restart"), "restart");
        // started, the event, the drain notice, stopped
        assertThat(primaryStore.records("restart")).hasSize(spooled + 4);
        assertThat(primaryStore.records("restart").stream().filter(r -> r.event().isPresent())
                .map(r -> r.event().get().action())).contains("audit.sink.drained");
    }

    @Test
    void aPrimaryThatIsDownAtStartAndBehindTheJournalIsBroughtUpToDate() throws Exception {
        FailingSink primary = FailingSink.failingTimes(0, primaryStore);
        try (AuditLog log = log("behind").sink(FailoverSink.builder(primary, spoolStore)
                .probeInterval(Duration.ofHours(1)).build()).build()) {
            for (int i = 0; i < 10; i++) {
                log.record(TckEvents.event(i));
            }
            log.flush();
            primary.failNext(Integer.MAX_VALUE); // an outage; then the process stops
            for (int i = 10; i < 20; i++) {
                log.record(TckEvents.event(i));
            }
        } catch (dev.auditlog.AuditException expected) {
            // closing reports nothing lost: the spool acknowledged everything
        }
        assertThat(primaryStore.records("behind")).hasSizeLessThan(spoolStore.records("behind").size());
        // Restart while the database is still down for the first attempt.
        AuditSinkThatFailsOpenOnce down = new AuditSinkThatFailsOpenOnce(primaryStore.reopen());
        try (AuditLog log = log("behind").sink(FailoverSink.builder(down, spoolStore.reopen())
                .probeInterval(Duration.ofNanos(1)).build()).build()) {
            log.record(TckEvents.event(99));
            log.flush();
        }
        assertThat(down.opens).isGreaterThanOrEqualTo(2);
        assertCompleteAndValid(primaryStore.records("behind"), "behind");
        assertThat(primaryStore.records("behind")).isEqualTo(spoolStore.records("behind"));
    }

    /** A primary whose first open fails, as a database that is still down when the process starts. */
    private static final class AuditSinkThatFailsOpenOnce extends ForwardingSink {
        int opens;

        AuditSinkThatFailsOpenOnce(dev.auditlog.spi.AuditSink delegate) {
            super(delegate);
        }

        @Override
        protected String kind() {
            return "down-at-start";
        }

        @Override
        public java.util.Optional<dev.auditlog.spi.ChainHead> open(String logId) throws java.io.IOException {
            if (opens++ == 0) {
                throw new java.io.IOException("connection refused (injected)");
            }
            return super.open(logId);
        }
    }
}
