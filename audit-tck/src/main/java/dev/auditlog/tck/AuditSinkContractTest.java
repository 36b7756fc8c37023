package dev.auditlog.tck;

import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Delivery;
import dev.auditlog.MemorySink;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link AuditSink} must meet. A sink module adopts it with a small subclass:
 *
 * <pre>{@code
 * class FileSinkContractTest extends AuditSinkContractTest {
 *     @TempDir Path dir;
 *     @Override protected AuditSink openSink() { return FileAuditSink.builder(dir).build(); }
 *     @Override protected AuditReader openReader() throws IOException { return FileAuditReader.open(dir); }
 * }
 * }</pre>
 *
 * JUnit creates a new instance per test, so each test starts on fresh storage.
 */
public abstract class AuditSinkContractTest {

    /** For subclasses. */
    protected AuditSinkContractTest() {
    }

    /**
     * A new, unopened sink. Every call within one test must return a sink over the same storage (as if the
     * process restarted), and that storage must be empty at the start of each test.
     */
    protected abstract AuditSink openSink() throws IOException;

    /** A reader over the same storage as {@link #openSink()}, usable while a sink is open on it. */
    protected abstract AuditReader openReader() throws IOException;

    /** Records a producer-thread test writes per thread; sinks over slow remote storage may lower it. */
    protected int recordsPerProducer() {
        return 2_000;
    }

    private AuditLog.Builder log(String logId, AuditSink sink, MemorySink reference) {
        return AuditLog.builder().logId(logId).sink(sink).sink(reference).shutdownHook(false)
                .retry(3, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private List<SealedRecord> readBack(String logId) throws IOException {
        try (AuditReader reader = openReader(); Stream<SealedRecord> s = reader.read(logId, 0)) {
            return s.toList();
        }
    }

    private static List<SealedRecord> generate(String logId, int count) {
        MemorySink memory = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId(logId).sink(memory).shutdownHook(false).build()) {
            for (int i = 0; i < count; i++) {
                log.record(TckEvents.event(i));
            }
        }
        return memory.records(logId);
    }

    private static VerificationReport verify(String logId, List<SealedRecord> records) {
        ChainVerifier v = ChainVerifier.fromGenesis(logId);
        records.forEach(v::accept);
        return v.finish();
    }

    @Test
    public void recordsArriveCompleteInOrderAndByteIdentical() throws Exception {
        MemorySink reference = new MemorySink();
        try (AuditLog log = log("tck-order", openSink(), reference).build()) {
            for (int i = 0; i < 500; i++) {
                log.record(TckEvents.event(i));
            }
        }
        List<SealedRecord> expected = reference.records("tck-order");
        List<SealedRecord> actual = readBack("tck-order");
        assertThat(expected).hasSize(502); // started + 500 + stopped
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).sequence()).isEqualTo(i);
            assertThat(actual.get(i).line()).as("bytes of record %d", i).isEqualTo(expected.get(i).line());
        }
        assertThat(verify("tck-order", actual).findings()).isEmpty();
    }

    @Test
    public void flushMeansDurableAndReopenResumesTheChain() throws Exception {
        MemorySink reference = new MemorySink();
        AuditLog log = log("tck-durable", openSink(), reference).build();
        AuditReceipt last = null;
        for (int i = 0; i < 100; i++) {
            last = log.record(TckEvents.event(i));
        }
        log.flush();
        assertThat(last.durable().toCompletableFuture().isDone()).isTrue();
        assertThat(readBack("tck-durable")).hasSizeGreaterThanOrEqualTo(101)
                .extracting(SealedRecord::sequence).startsWith(0L, 1L, 2L);
        log.close();
        long afterFirst = readBack("tck-durable").size();

        AuditSink reopened = openSink();
        Optional<ChainHead> head = reopened.open("tck-durable");
        List<SealedRecord> stored = readBack("tck-durable");
        assertThat(head).contains(ChainHead.of(stored.get(stored.size() - 1).sequence(),
                stored.get(stored.size() - 1).chainHash()));
        reopened.close();

        try (AuditLog again = AuditLog.builder().logId("tck-durable").sink(openSink()).shutdownHook(false).build()) {
            AuditReceipt r = again.record(TckEvents.event(1000));
            assertThat(r.sequence()).isGreaterThan(afterFirst - 1);
        }
        List<SealedRecord> all = readBack("tck-durable");
        assertThat(all).hasSize((int) afterFirst + 3);
        assertThat(verify("tck-durable", all).findings()).isEmpty();
    }

    @Test
    public void openOnEmptyStorageReportsNoHead() throws Exception {
        try (AuditSink sink = openSink()) {
            assertThat(sink.open("tck-empty")).isEmpty();
        }
    }

    @Test
    public void closeIsIdempotent() throws Exception {
        AuditSink sink = openSink();
        sink.open("tck-close");
        sink.write(generate("tck-close", 3));
        sink.close();
        sink.close();
        assertThat(readBack("tck-close")).hasSize(5);
    }

    @Test
    public void writeAfterCloseIsRejected() throws Exception {
        List<SealedRecord> records = generate("tck-closed", 2);
        AuditSink sink = openSink();
        sink.open("tck-closed");
        sink.close();
        assertThatThrownBy(() -> sink.write(records)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    public void aLargeBatchIsStoredWhole() throws Exception {
        List<SealedRecord> records = generate("tck-large", 10_000);
        try (AuditSink sink = openSink()) {
            assertThat(sink.open("tck-large")).isEmpty();
            sink.write(records);
        }
        List<SealedRecord> back = readBack("tck-large");
        assertThat(back).hasSize(records.size());
        assertThat(back.get(back.size() - 1).line()).isEqualTo(records.get(records.size() - 1).line());
        assertThat(verify("tck-large", back).isValid()).isTrue();
    }

    @Test
    public void identicalRedeliveryIsANoOpAndDifferentBytesAreRejected() throws Exception {
        List<SealedRecord> records = generate("tck-redeliver", 10);
        List<SealedRecord> other = generate("tck-redeliver", 11); // same sequences, different times/bytes
        try (AuditSink sink = openSink()) {
            sink.open("tck-redeliver");
            sink.write(records);
            sink.write(records.subList(5, 12));
            assertThatThrownBy(() -> sink.write(other.subList(3, 4))).isInstanceOf(IOException.class);
        }
        List<SealedRecord> back = readBack("tck-redeliver");
        assertThat(back).hasSize(12);
        assertThat(back.get(3).line()).isEqualTo(records.get(3).line());
    }

    @Test
    public void aGapIsRejected() throws Exception {
        List<SealedRecord> records = generate("tck-gap", 10);
        try (AuditSink sink = openSink()) {
            sink.open("tck-gap");
            sink.write(records.subList(0, 4));
            assertThatThrownBy(() -> sink.write(records.subList(6, 8))).isInstanceOf(IOException.class);
        }
        assertThat(readBack("tck-gap")).hasSize(4);
    }

    @Test
    public void manyProducerThreadsKeepTheSequenceContiguousAndTheChainValid() throws Exception {
        int threads = 8;
        int perThread = recordsPerProducer();
        MemorySink reference = new MemorySink();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditLog log = log("tck-concurrent", openSink(), reference).maxBatchSize(256).build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> sequences = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        sequences.add(log.record(TckEvents.event(base + i)).sequence());
                    }
                    return sequences;
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get(5, TimeUnit.MINUTES));
            }
            assertThat(all).doesNotHaveDuplicates().hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
        List<SealedRecord> back = readBack("tck-concurrent");
        assertThat(back).hasSize(threads * perThread + 2);
        for (int i = 0; i < back.size(); i++) {
            assertThat(back.get(i).sequence()).isEqualTo(i);
        }
        assertThat(verify("tck-concurrent", back).findings()).isEmpty();
    }

    @Test
    public void aSinkFailureReachesTheReceipt() throws Exception {
        AuditSink sink = openSink();
        MemorySink reference = new MemorySink();
        AuditLog log = log("tck-failure", sink, reference).delivery(Delivery.SYNC).build();
        try {
            log.record(TckEvents.event(0));
            sink.close(); // behind the log's back: every further write must fail
            assertThatThrownBy(() -> log.record(TckEvents.event(1))).isInstanceOf(AuditException.class);
            assertThat(log.metrics().failed()).isGreaterThanOrEqualTo(1);
        } finally {
            assertThatThrownBy(log::close).isInstanceOf(AuditException.class);
        }
    }
}
