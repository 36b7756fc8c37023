package dev.auditlog.tck;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditListener;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Delivery;
import dev.auditlog.MemorySink;
import dev.auditlog.OverflowPolicy;
import dev.auditlog.SinkFailure;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AuditLog pipeline against the fault-injecting sink doubles. */
class PipelineTest {
    private static final Duration FAST = Duration.ofMillis(1);

    private static AuditLog.Builder builder(String logId) {
        return AuditLog.builder().singleChain().logId(logId).shutdownHook(false).retry(3, FAST, Duration.ofMillis(2));
    }

    private static List<String> actions(MemorySink sink, String logId) {
        return sink.records(logId).stream().map(r -> r.event().orElseThrow().action()).toList();
    }

    @Test
    void eightProducersTimesOneHundredThousandAreContiguousAndChained() throws Exception {
        int threads = 8;
        int perThread = 100_000;
        MemorySink sink = new MemorySink();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AuditEvent event = TckEvents.event(1);
        try (AuditLog log = builder("concurrent").sink(sink).build()) {
            List<Future<long[]>> futures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    long[] seqs = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        seqs[i] = log.record(event).sequence();
                    }
                    return seqs;
                }));
            }
            start.countDown();
            boolean[] seen = new boolean[threads * perThread + 2];
            for (Future<long[]> f : futures) {
                long previous = -1;
                for (long s : f.get(10, TimeUnit.MINUTES)) {
                    assertThat(s).isGreaterThan(previous); // per-thread order is preserved
                    assertThat(seen[(int) s]).as("sequence %d handed out twice", s).isFalse();
                    seen[(int) s] = true;
                    previous = s;
                }
            }
            log.flush();
            assertThat(log.metrics().written()).isEqualTo(threads * perThread + 1L);
        } finally {
            pool.shutdownNow();
        }
        List<SealedRecord> records = sink.records("concurrent");
        assertThat(records).hasSize(threads * perThread + 2);
        ChainVerifier v = ChainVerifier.fromGenesis("concurrent");
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).sequence()).isEqualTo(i);
            v.accept(records.get(i));
        }
        assertThat(v.finish().findings()).isEmpty();
    }

    @Test
    void startedAndStoppedRecordsFrameTheLog() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = builder("frame").sink(sink).build()) {
            log.record(TckEvents.event(0));
        }
        List<String> actions = actions(sink, "frame");
        assertThat(actions).containsExactly("audit.log.started", "authn_login_fail", "audit.log.stopped");
        AuditEvent started = sink.records("frame").get(0).event().orElseThrow();
        assertThat(started.attributes()).containsEntry("log.id", "frame").containsEntry("delivery", "ASYNC")
                .containsKey("sinks");
    }

    @Test
    void recordAfterCloseThrows() {
        AuditLog log = builder("closed").sink(new MemorySink()).build();
        log.close();
        log.close();
        assertThatThrownBy(() -> log.record(TckEvents.event(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closeDrainsEverything() {
        MemorySink memory = new MemorySink();
        BlockingSink blocking = new BlockingSink(memory);
        AuditLog log = builder("drain").sink(blocking).queueCapacity(10_000).build();
        List<AuditReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            receipts.add(log.record(TckEvents.event(i)));
        }
        assertThat(receipts.get(999).durable().toCompletableFuture()).isNotDone();
        blocking.release();
        log.close();
        assertThat(receipts).allSatisfy(r -> assertThat(r.durable().toCompletableFuture()).isCompleted());
        assertThat(memory.records("drain")).hasSize(1002);
    }

    @Test
    void blockPolicyWaitsForRoom() throws Exception {
        MemorySink memory = new MemorySink();
        BlockingSink blocking = new BlockingSink(memory);
        try (AuditLog log = builder("block").sink(blocking).queueCapacity(4).maxBatchSize(1).build()) {
            assertThat(blocking.awaitBlocked(10, TimeUnit.SECONDS)).isTrue(); // started record is stuck
            for (int i = 0; i < 3; i++) {
                log.record(TckEvents.event(i));
            }
            assertThat(log.metrics().queueDepth()).isEqualTo(4);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<AuditReceipt> blocked = pool.submit(() -> log.record(TckEvents.event(99)));
                assertThatThrownBy(() -> blocked.get(100, TimeUnit.MILLISECONDS))
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                blocking.release();
                assertThat(blocked.get(10, TimeUnit.SECONDS).sequence()).isEqualTo(4);
            } finally {
                pool.shutdownNow();
            }
            assertThat(log.metrics().dropped()).isZero();
        }
    }

    @Test
    void blockWithTimeoutThrowsAndCounts() throws Exception {
        BlockingSink blocking = new BlockingSink(new MemorySink());
        try (AuditLog log = builder("block-timeout").sink(blocking).queueCapacity(2)
                .overflowPolicy(OverflowPolicy.BLOCK_WITH_TIMEOUT).blockTimeout(Duration.ofMillis(20)).build()) {
            assertThat(blocking.awaitBlocked(10, TimeUnit.SECONDS)).isTrue();
            log.record(TckEvents.event(0));
            assertThatThrownBy(() -> log.record(TckEvents.event(1))).isInstanceOf(AuditException.class)
                    .hasMessageContaining("queue full");
            assertThat(log.metrics().dropped()).isEqualTo(1);
            blocking.release();
        }
    }

    @Test
    void dropPolicyCountsAndTellsListeners() throws Exception {
        BlockingSink blocking = new BlockingSink(new MemorySink());
        List<AuditEvent> droppedEvents = new CopyOnWriteArrayList<>();
        AuditListener listener = new AuditListener() {
            @Override
            public void onDrop(AuditEvent event, OverflowPolicy policy) {
                droppedEvents.add(event);
            }
        };
        try (AuditLog log = builder("drop").sink(blocking).queueCapacity(2).overflowPolicy(OverflowPolicy.DROP)
                .listener(listener).build()) {
            assertThat(blocking.awaitBlocked(10, TimeUnit.SECONDS)).isTrue();
            AuditReceipt accepted = log.record(TckEvents.event(0));
            AuditEvent second = TckEvents.event(1);
            AuditReceipt dropped = log.record(second);
            assertThat(accepted.isDropped()).isFalse();
            assertThat(dropped.isDropped()).isTrue();
            assertThatThrownBy(dropped::sequence).isInstanceOf(IllegalStateException.class);
            assertThat(dropped.durable().toCompletableFuture()).isCompletedExceptionally();
            assertThat(log.metrics().dropped()).isEqualTo(1);
            assertThat(droppedEvents).containsExactly(second);
            blocking.release();
        }
    }

    @Test
    void throwPolicyThrowsAtOnce() throws Exception {
        BlockingSink blocking = new BlockingSink(new MemorySink());
        try (AuditLog log = builder("throw").sink(blocking).queueCapacity(1).overflowPolicy(OverflowPolicy.THROW)
                .build()) {
            assertThat(blocking.awaitBlocked(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> log.record(TckEvents.event(0))).isInstanceOf(AuditException.class);
            assertThat(log.metrics().dropped()).isEqualTo(1);
            blocking.release();
        }
    }

    @Test
    void transientFailuresAreRetriedAndNothingIsLost() {
        MemorySink memory = new MemorySink();
        FailingSink failing = FailingSink.failingTimes(2, memory);
        List<SinkFailure> failures = new CopyOnWriteArrayList<>();
        try (AuditLog log = builder("retry").sink(failing).listener(new AuditListener() {
            @Override
            public void onSinkFailure(SinkFailure failure) {
                failures.add(failure);
            }
        }).build()) {
            AuditReceipt r = log.record(TckEvents.event(0));
            r.await();
            AuditMetrics m = log.metrics();
            assertThat(m.retried()).isEqualTo(2);
            assertThat(m.failed()).isZero();
        }
        assertThat(failures).hasSize(2).allSatisfy(f -> assertThat(f.receiptsFailed()).isFalse());
        assertThat(memory.records("retry")).hasSize(3);
    }

    @Test
    void exhaustedRetriesFailTheReceiptThenTheSinkCatchesUpAndTheFailureIsRecorded() {
        MemorySink memory = new MemorySink();
        FailingSink failing = FailingSink.always(memory);
        List<SinkFailure> failures = new CopyOnWriteArrayList<>();
        AuditLog log = builder("exhaust").sink(failing).listener(new AuditListener() {
            @Override
            public void onSinkFailure(SinkFailure failure) {
                failures.add(failure);
            }
        }).build();
        AuditReceipt r = log.record(TckEvents.event(0));
        assertThatThrownBy(r::await).isInstanceOf(AuditException.class).hasMessageContaining("could not be stored");
        assertThat(failures).anySatisfy(f -> assertThat(f.receiptsFailed()).isTrue());
        assertThat(log.metrics().failed()).isGreaterThanOrEqualTo(2); // started + event
        assertThatThrownBy(log::flush).isInstanceOf(AuditException.class);

        failing.heal();
        AuditReceipt after = log.record(TckEvents.event(1));
        after.await();
        log.close();
        List<String> actions = actions(memory, "exhaust");
        // Nothing is missing from the chain: the failed records were stored once the sink healed.
        assertThat(actions).containsSubsequence("audit.log.started", "authn_login_fail", "audit.sink.failed",
                "audit.sink.recovered", "audit.log.stopped").contains("document.read").hasSize(6);
        ChainVerifier v = ChainVerifier.fromGenesis("exhaust");
        memory.records("exhaust").forEach(v::accept);
        assertThat(v.finish().findings()).isEmpty();
    }

    @Test
    void syncDeliveryIsFailClosed() {
        FailingSink failing = FailingSink.always(new MemorySink());
        AuditLog log = builder("sync").sink(failing).delivery(Delivery.SYNC).build();
        assertThatThrownBy(() -> log.record(TckEvents.event(0))).isInstanceOf(AuditException.class)
                .hasMessageContaining("could not be stored");
        // The record's receipt already failed, so close names the sink that failed rather than unstored records.
        assertThatThrownBy(log::close).isInstanceOf(AuditException.class).hasMessageContaining("closed with")
                .hasMessageContaining(failing.name());
    }

    @Test
    void syncDeliveryReturnsOnlyWhenDurable() {
        MemorySink memory = new MemorySink();
        try (AuditLog log = builder("sync-ok").sink(memory).delivery(Delivery.SYNC).build()) {
            AuditReceipt r = log.record(TckEvents.event(0));
            assertThat(r.durable().toCompletableFuture()).isCompleted();
            assertThat(memory.records("sync-ok")).extracting(SealedRecord::sequence).contains(r.sequence());
        }
    }

    @Test
    void closeWithADeadSinkFailsPendingReceiptsAndSaysSo() {
        FailingSink failing = FailingSink.always(new MemorySink());
        AuditLog log = builder("dead").sink(failing).build();
        AuditReceipt r = log.record(TckEvents.event(0));
        assertThatThrownBy(log::close).isInstanceOf(AuditException.class);
        assertThat(r.durable().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void mdcFillsMissingCorrelationIds() {
        MemorySink memory = new MemorySink();
        try (AuditLog log = builder("mdc").sink(memory).build()) {
            MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
            MDC.put("requestId", "req-1");
            try {
                log.record(TckEvents.event(0));
                log.record(AuditEvent.builder().action("x.y").actor(dev.auditlog.Actor.user("u"))
                        .outcome(dev.auditlog.Outcome.success()).traceId("explicit").build());
            } finally {
                MDC.clear();
            }
            log.record(TckEvents.event(2));
        }
        List<AuditEvent> events = memory.records("mdc").stream().map(r -> r.event().orElseThrow()).toList();
        assertThat(events.get(1).traceId()).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(events.get(1).requestId()).contains("req-1");
        assertThat(events.get(1).spanId()).isEmpty();
        assertThat(events.get(2).traceId()).contains("explicit");
        assertThat(events.get(3).traceId()).isEmpty();
    }

    @Test
    void eventsSerialisedByTheCallerWhileTheDispatcherIsBehindAreStoredTheSameWay() throws Exception {
        MemorySink memory = new MemorySink();
        BlockingSink blocking = new BlockingSink(memory);
        // maxBatchSize 2: once two records wait, callers serialise their events themselves.
        try (AuditLog log = builder("behind").sink(blocking).maxBatchSize(2).build()) {
            log.record(TckEvents.event(0));
            assertThat(blocking.awaitBlocked(30, TimeUnit.SECONDS)).isTrue();
            MDC.put("requestId", "req-behind");
            try {
                for (int i = 1; i <= 6; i++) {
                    log.record(TckEvents.event(i)); // the first two are handed over, the rest serialised here
                }
            } finally {
                MDC.clear();
            }
            blocking.release();
            log.flush();
        }
        // the callers also laid out and hashed their records; the dispatcher linked them into an intact chain
        List<SealedRecord> records = memory.records("behind");
        ChainVerifier v = ChainVerifier.fromGenesis("behind");
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).sequence()).isEqualTo(i);
            v.accept(SealedRecord.parse(records.get(i).line()));
        }
        assertThat(v.finish().findings()).isEmpty();
        List<AuditEvent> events = records.stream().filter(r -> r.type().equals("event"))
                .map(r -> r.event().orElseThrow()).filter(e -> !e.action().startsWith("audit.")).toList();
        assertThat(events).hasSize(7);
        for (int i = 1; i <= 6; i++) {
            assertThat(events.get(i).requestId()).as("event %d", i).contains("req-behind");
            assertThat(events.get(i).attributes()).isEqualTo(TckEvents.event(i).attributes());
            assertThat(events.get(i).targets()).isEqualTo(TckEvents.event(i).targets());
            assertThat(events.get(i).message()).isEqualTo(TckEvents.event(i).message());
        }
        assertThat(events.get(0).requestId()).isEmpty();
    }

    @Test
    void customMdcKeys() {
        MemorySink memory = new MemorySink();
        try (AuditLog log = builder("mdc-keys").sink(memory).mdcKeys("trace_id", "span_id", "request_id").build()) {
            MDC.put("trace_id", "t-1");
            MDC.put("traceId", "wrong");
            try {
                log.record(TckEvents.event(0));
            } finally {
                MDC.clear();
            }
        }
        assertThat(memory.records("mdc-keys").get(1).event().orElseThrow().traceId()).contains("t-1");
    }

    @Test
    void strictProfileRequiresOriginAndTarget() {
        try (AuditLog log = builder("strict").sink(new MemorySink()).strict(true).build()) {
            AuditEvent noOrigin = AuditEvent.builder().action("document.read").actor(dev.auditlog.Actor.user("u"))
                    .outcome(dev.auditlog.Outcome.success()).target(dev.auditlog.Target.of("document", "1")).build();
            assertThatThrownBy(() -> log.record(noOrigin)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("origin").hasMessageContaining("PCI DSS");
            AuditEvent noTarget = noOrigin.toBuilder().targets(List.of())
                    .origin(dev.auditlog.Origin.builder().ip("192.0.2.1").build()).build();
            assertThatThrownBy(() -> log.record(noTarget)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("target");
            assertThat(log.record(TckEvents.event(0)).sequence()).isEqualTo(1);
        }
    }

    @Test
    void occurredAtComesFromTheLogClockWhenAbsent() {
        java.time.Instant fixed = java.time.Instant.parse("2026-01-02T03:04:05.123456789Z");
        MemorySink memory = new MemorySink();
        try (AuditLog log = builder("clock").sink(memory)
                .clock(java.time.Clock.fixed(fixed, java.time.ZoneOffset.UTC)).build()) {
            log.record(AuditEvent.builder().action("x.y").actor(dev.auditlog.Actor.user("u"))
                    .outcome(dev.auditlog.Outcome.success()).build());
        }
        SealedRecord r = memory.records("clock").get(1);
        assertThat(r.event().orElseThrow().occurredAt()).contains(fixed);
        assertThat(r.sealedAt()).isEqualTo(fixed);
    }

    @Test
    void reopeningResumesTheChainAndLaggingSinksCatchUp() {
        MemorySink a = new MemorySink();
        try (AuditLog log = builder("resume").sink(a).build()) {
            log.record(TckEvents.event(0));
        }
        MemorySink b = new MemorySink(); // new, empty second sink
        try (AuditLog log = builder("resume").sink(a.reopen()).sink(b).build()) {
            assertThat(log.record(TckEvents.event(1)).sequence()).isEqualTo(4);
        }
        assertThat(b.records("resume")).hasSize(6);
        assertThat(b.records("resume")).isEqualTo(a.records("resume"));
        ChainVerifier v = ChainVerifier.fromGenesis("resume");
        b.records("resume").forEach(v::accept);
        assertThat(v.finish().findings()).isEmpty();
    }

    @Test
    void sinksThatDisagreeStopTheStart() {
        MemorySink a = new MemorySink();
        MemorySink b = new MemorySink();
        try (AuditLog log = builder("fork").sink(a).build()) {
            log.record(TckEvents.event(0));
        }
        try (AuditLog log = builder("fork").sink(b).build()) {
            log.record(TckEvents.event(0));
        }
        assertThatThrownBy(() -> builder("fork").sink(a.reopen()).sink(b.reopen()).build())
                .isInstanceOf(AuditException.class).hasMessageContaining("disagree");
    }

    @Test
    void aLaggingSinkWithoutAReadableLeaderStopsTheStart() {
        MemorySink a = new MemorySink();
        try (AuditLog log = builder("noreader").sink(a).build()) {
            log.record(TckEvents.event(0));
        }
        MemorySink reopened = a.reopen();
        dev.auditlog.spi.AuditSink unreadable = new dev.auditlog.spi.AuditSink() {
            @Override
            public String name() {
                return "unreadable";
            }

            @Override
            public java.util.Optional<dev.auditlog.spi.ChainHead> open(String logId) throws java.io.IOException {
                return reopened.open(logId);
            }

            @Override
            public void write(List<SealedRecord> records) throws java.io.IOException {
                reopened.write(records);
            }

            @Override
            public void close() {
                reopened.close();
            }
        };
        assertThatThrownBy(() -> builder("noreader").sink(unreadable).sink(new MemorySink()).build())
                .isInstanceOf(AuditException.class).hasMessageContaining("cannot be read back");
    }

    @Test
    void sinkSpecsResolveThroughServiceLoader() {
        try (AuditLog log = AuditLog.builder().singleChain().sink("memory:").shutdownHook(false).build()) {
            assertThat(log.record(TckEvents.event(0)).sequence()).isEqualTo(1);
        }
        assertThatThrownBy(() -> AuditLog.builder().singleChain().sink("kafka:topic")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka").hasMessageContaining("memory");
    }

    @Test
    void builderValidatesEagerly() {
        assertThatThrownBy(() -> AuditLog.builder().singleChain().queueCapacity(0)).hasMessageContaining("queueCapacity")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> AuditLog.builder().singleChain().logId("bad id")).hasMessageContaining("logId");
        assertThatThrownBy(() -> AuditLog.builder().singleChain().clock(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("clock");
        assertThatThrownBy(() -> AuditLog.builder().singleChain().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sink");
        assertThatThrownBy(() -> AuditLog.builder().singleChain().sink(new MemorySink())
                .overflowPolicy(OverflowPolicy.BLOCK_WITH_TIMEOUT).build())
                .hasMessageContaining("blockTimeout");
        assertThatThrownBy(() -> AuditLog.builder().singleChain().retry(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
    }

    @Test
    void metricsReportQueueDepthAndAge() throws Exception {
        BlockingSink blocking = new BlockingSink(new MemorySink());
        FakeTicker ticker = new FakeTicker();
        try (AuditLog log = builder("metrics").sink(blocking).ticker(ticker).build()) {
            assertThat(blocking.awaitBlocked(10, TimeUnit.SECONDS)).isTrue();
            log.record(TckEvents.event(0));
            ticker.advance(Duration.ofSeconds(5));
            AuditMetrics m = log.metrics();
            assertThat(m.recorded()).isEqualTo(2);
            assertThat(m.queueDepth()).isEqualTo(2);
            assertThat(m.written()).isZero();
            assertThat(m.oldestPendingAge()).isEqualTo(Duration.ofSeconds(5)); // audit.log.started, queued at 0
            blocking.release();
            log.flush();
            AuditMetrics after = log.metrics();
            assertThat(after.written()).isEqualTo(2);
            assertThat(after.queueDepth()).isZero();
            assertThat(after.oldestPendingAge()).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void slowSinkBatches() throws ExecutionException, InterruptedException {
        MemorySink memory = new MemorySink();
        try (AuditLog log = builder("slow").sink(new SlowSink(memory, Duration.ofMillis(5))).maxBatchSize(100).build()) {
            for (int i = 0; i < 2000; i++) {
                log.record(TckEvents.event(i));
            }
            log.flush();
        }
        assertThat(memory.records("slow")).hasSize(2002);
    }
}
