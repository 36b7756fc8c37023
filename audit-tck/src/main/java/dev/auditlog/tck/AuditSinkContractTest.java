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
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.ChainLeaseException;
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
        return AuditLog.builder().logId(logId).instanceId(INSTANCE).sink(sink).sink(reference).shutdownHook(false)
                .retry(3, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    /** The instance id the kit's logs run as. */
    private static final String INSTANCE = "tck";

    /** The chain the kit's log {@code logId} writes. */
    private static String chain(String logId) {
        return ChainIds.of(logId, INSTANCE);
    }

    private List<SealedRecord> readBack(String chainId) throws IOException {
        try (AuditReader reader = openReader(); Stream<SealedRecord> s = reader.read(chainId, 0)) {
            return s.toList();
        }
    }

    private static List<SealedRecord> generate(String logId, int count) {
        MemorySink memory = new MemorySink();
        return generate(logId, INSTANCE, count);
    }

    private static List<SealedRecord> generate(String logId, String instance, int count) {
        MemorySink memory = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId(logId).instanceId(instance).sink(memory).shutdownHook(false)
                .build()) {
            for (int i = 0; i < count; i++) {
                log.record(TckEvents.event(i));
            }
        }
        return memory.records(ChainIds.of(logId, instance));
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
        List<SealedRecord> expected = reference.records(chain("tck-order"));
        List<SealedRecord> actual = readBack(chain("tck-order"));
        assertThat(expected).hasSize(502); // started + 500 + stopped
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).sequence()).isEqualTo(i);
            assertThat(actual.get(i).line()).as("bytes of record %d", i).isEqualTo(expected.get(i).line());
        }
        assertThat(verify(chain("tck-order"), actual).findings()).isEmpty();
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
        assertThat(readBack(chain("tck-durable"))).hasSizeGreaterThanOrEqualTo(101)
                .extracting(SealedRecord::sequence).startsWith(0L, 1L, 2L);
        log.close();
        long afterFirst = readBack(chain("tck-durable")).size();

        AuditSink reopened = openSink();
        Optional<ChainHead> head = reopened.open(chain("tck-durable"));
        List<SealedRecord> stored = readBack(chain("tck-durable"));
        assertThat(head).contains(ChainHead.of(stored.get(stored.size() - 1).sequence(),
                stored.get(stored.size() - 1).chainHash()));
        reopened.close();

        try (AuditLog again = AuditLog.builder().logId("tck-durable").instanceId(INSTANCE).sink(openSink()).shutdownHook(false).build()) {
            AuditReceipt r = again.record(TckEvents.event(1000));
            assertThat(r.sequence()).isGreaterThan(afterFirst - 1);
        }
        List<SealedRecord> all = readBack(chain("tck-durable"));
        assertThat(all).hasSize((int) afterFirst + 3);
        assertThat(verify(chain("tck-durable"), all).findings()).isEmpty();
    }

    @Test
    public void openOnEmptyStorageReportsNoHead() throws Exception {
        try (AuditSink sink = openSink()) {
            assertThat(sink.open(chain("tck-empty"))).isEmpty();
        }
    }

    @Test
    public void closeIsIdempotent() throws Exception {
        AuditSink sink = openSink();
        sink.open(chain("tck-close"));
        sink.write(generate("tck-close", 3));
        sink.close();
        sink.close();
        assertThat(readBack(chain("tck-close"))).hasSize(5);
    }

    @Test
    public void writeAfterCloseIsRejected() throws Exception {
        List<SealedRecord> records = generate("tck-closed", 2);
        AuditSink sink = openSink();
        sink.open(chain("tck-closed"));
        sink.close();
        assertThatThrownBy(() -> sink.write(records)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    public void aLargeBatchIsStoredWhole() throws Exception {
        List<SealedRecord> records = generate("tck-large", 10_000);
        try (AuditSink sink = openSink()) {
            assertThat(sink.open(chain("tck-large"))).isEmpty();
            sink.write(records);
        }
        List<SealedRecord> back = readBack(chain("tck-large"));
        assertThat(back).hasSize(records.size());
        assertThat(back.get(back.size() - 1).line()).isEqualTo(records.get(records.size() - 1).line());
        assertThat(verify(chain("tck-large"), back).isValid()).isTrue();
    }

    @Test
    public void identicalRedeliveryIsANoOpAndDifferentBytesAreRejected() throws Exception {
        List<SealedRecord> records = generate("tck-redeliver", 10);
        List<SealedRecord> other = generate("tck-redeliver", 11); // same sequences, different times/bytes
        try (AuditSink sink = openSink()) {
            sink.open(chain("tck-redeliver"));
            sink.write(records);
            sink.write(records.subList(5, 12));
            assertThatThrownBy(() -> sink.write(other.subList(3, 4))).isInstanceOf(IOException.class);
        }
        List<SealedRecord> back = readBack(chain("tck-redeliver"));
        assertThat(back).hasSize(12);
        assertThat(back.get(3).line()).isEqualTo(records.get(3).line());
    }

    @Test
    public void aGapIsRejected() throws Exception {
        List<SealedRecord> records = generate("tck-gap", 10);
        try (AuditSink sink = openSink()) {
            sink.open(chain("tck-gap"));
            sink.write(records.subList(0, 4));
            assertThatThrownBy(() -> sink.write(records.subList(6, 8))).isInstanceOf(IOException.class);
        }
        assertThat(readBack(chain("tck-gap"))).hasSize(4);
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
        List<SealedRecord> back = readBack(chain("tck-concurrent"));
        assertThat(back).hasSize(threads * perThread + 2);
        for (int i = 0; i < back.size(); i++) {
            assertThat(back.get(i).sequence()).isEqualTo(i);
        }
        assertThat(verify(chain("tck-concurrent"), back).findings()).isEmpty();
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

    // --- one writer per chain, many chains per log (docs/WRITING-A-SINK.md, "Chains and leases") ---

    @Test
    public void aSecondWriterOnTheSameChainIsRefusedUntilTheFirstCloses() throws Exception {
        String chain = chain("tck-lease");
        AuditSink first = openSink();
        first.open(chain);
        first.write(generate("tck-lease", 2));
        AuditSink second = openSink();
        try {
            assertThatThrownBy(() -> second.open(chain)).isInstanceOf(ChainLeaseException.class)
                    .hasMessageContaining(chain)
                    .satisfies(e -> assertThat(((ChainLeaseException) e).chainId()).isEqualTo(chain));
        } finally {
            second.close();
        }
        first.close(); // releases the lease
        try (AuditSink third = openSink()) {
            assertThat(third.open(chain)).map(ChainHead::sequence).contains(3L);
        }
    }

    @Test
    public void aSecondAuditLogOnTheSameChainFailsAtBuildNamingTheChain() throws Exception {
        try (AuditLog first = log("tck-build", openSink(), new MemorySink()).build()) {
            first.record(TckEvents.event(0));
            assertThatThrownBy(() -> log("tck-build", openSink(), new MemorySink()).build())
                    .isInstanceOf(AuditException.class)
                    .hasCauseInstanceOf(ChainLeaseException.class)
                    .hasMessageContaining(chain("tck-build"))
                    .hasMessageContaining("instance id");
            // another instance of the same log is another chain: it starts at once, beside the first
            try (AuditLog other = AuditLog.builder().logId("tck-build").instanceId("tck-other").sink(openSink())
                    .shutdownHook(false).build()) {
                other.record(TckEvents.event(1)).await();
            }
            first.record(TckEvents.event(2)).await();
        }
        assertThat(readBack(chain("tck-build"))).hasSize(4);
        assertThat(readBack(ChainIds.of("tck-build", "tck-other"))).hasSize(3);
    }

    @Test
    public void chainsOfOneLogAreStoredApartAndListedTogether() throws Exception {
        List<SealedRecord> a = generate("tck-chains", "a", 5);
        List<SealedRecord> b = generate("tck-chains", "b", 7);
        try (AuditSink sa = openSink(); AuditSink sb = openSink()) {
            sa.open("tck-chains@a"); // both open at once: a lease is per chain, not per log or storage
            sb.open("tck-chains@b");
            sb.write(b);
            sa.write(a);
        }
        assertThat(readBack("tck-chains@a")).extracting(SealedRecord::line)
                .containsExactlyElementsOf(a.stream().map(SealedRecord::line).toList());
        assertThat(readBack("tck-chains@b")).hasSize(9);
        assertThat(verify("tck-chains@b", readBack("tck-chains@b")).findings()).isEmpty();
        try (AuditReader reader = openReader()) {
            assertThat(reader.chainIds()).contains("tck-chains@a", "tck-chains@b");
            assertThat(reader.chains("tck-chains")).extracting(ChainInfo::chainId)
                    .containsExactly("tck-chains@a", "tck-chains@b");
            assertThat(reader.chains("tck-chain")).as("a log id is not a prefix match").isEmpty();
        }
    }
}
