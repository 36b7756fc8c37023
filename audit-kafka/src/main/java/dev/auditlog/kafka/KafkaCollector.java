package dev.auditlog.kafka;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import dev.auditlog.Target;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.SealedRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Moves the chains a fleet of {@link KafkaAuditSink}s wrote to a topic into a central store (any store with an
 * {@link AuditSinkProvider}: {@code jdbc:...}, {@code file:...}), byte for byte, through that store's own sink, and
 * verifies every chain as it goes.
 *
 * <ul>
 *   <li><b>Verified:</b> each chain's new records are checked against the record before them (sequence, log id,
 *       chain link) and every checkpoint record's signature under the pinned key; from genesis also the checkpoint's
 *       Merkle root. A record the store already holds is compared byte for byte with the stored copy.</li>
 *   <li><b>Resumed chains are verified first:</b> when the store already holds a chain (a restart, a rebalance, a
 *       retry after a store failure), the collector reads the stored chain back and verifies it from its start
 *       (links, signatures, each checkpoint's Merkle root over the stored records) and checks that it ends at the
 *       head the store's sink reports, before appending to it. A store changed while no collector watched raises a
 *       {@link CollectorAlert.Kind#STORE_TAMPERED} alert and the chain is held. This reads each resumed chain once
 *       per (re)open: the price of not building on an edited store.</li>
 *   <li><b>Exactly once in the store:</b> consumer offsets are committed only after the store's sink returned, so a
 *       crash of the collector loses nothing; records consumed again after a crash are found already stored (at or
 *       below the store's head for the chain) and skipped after the byte comparison, so nothing is stored twice.</li>
 *   <li><b>A group:</b> several collectors with the same group id share the topic's partitions, rebalanced by Kafka;
 *       a chain lives in one partition, so one collector at a time writes it.</li>
 *   <li><b>Never silently skipped:</b> a gap, a record that fails verification, or bytes that are not a record
 *       raise a {@link CollectorAlert}: to the listener, and as an event in the collector's own log in the central
 *       store. That chain is then held: its later records are counted, not stored (the store would refuse them),
 *       and stay in Kafka for replay from the alert's offset. Other chains go on.</li>
 *   <li><b>Store down:</b> the partition is paused and retried with backoff from the last committed offset.</li>
 * </ul>
 *
 * <p>{@link #run()} consumes until {@link #close()} (from any thread). {@link #pollOnce()} does one round, for
 * callers with a loop of their own.
 */
public final class KafkaCollector implements AutoCloseable {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final KafkaConnection source;
    private final String storeSpec;
    private final AuditSinkProvider store;
    private final List<VerifierKey> keys;
    private final Duration pollTimeout;
    private final Consumer<CollectorAlert> alertListener;
    private final AuditLog alertLog;
    private final boolean ownsAlertLog;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
    private final Map<TopicPartition, Duration> backoff = new HashMap<>();
    private final ReentrantLock running = new ReentrantLock();
    private volatile boolean stopping;
    private boolean closed;
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong heldBack = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();
    private final AtomicLong resumeChecks = new AtomicLong();
    private volatile String lastStoreFailure = "";
    /** Store notices recorded into the collector's log (collecting thread only). */
    private long notices;

    /** One chain's state: its sink on the central store and what the store holds. */
    private static final class Chain {
        final AuditSink sink;
        final TopicPartition partition;
        long next;
        byte[] previous;
        boolean held;

        /** @param sink null for a chain held before its sink was opened */
        Chain(AuditSink sink, TopicPartition partition, ChainHead head) {
            this.sink = sink;
            this.partition = partition;
            this.next = head == null ? 0 : head.sequence() + 1;
            this.previous = head == null ? null : head.chainHash();
        }
    }

    private KafkaCollector(Builder b) {
        this.source = b.source;
        this.storeSpec = b.storeSpec;
        this.store = b.provider;
        this.keys = List.copyOf(b.keys);
        this.pollTimeout = b.pollTimeout;
        this.alertListener = b.alertListener;
        if (b.alertLog != null) {
            this.alertLog = b.alertLog;
            this.ownsAlertLog = false;
        } else {
            AuditLog.Builder log = AuditLog.builder().singleChain().logId(b.collectorId).sink(store.create(storeSpec))
                    .shutdownHook(false);
            if (b.signingKey != null) {
                log.checkpoints(b.signingKey);
            }
            this.alertLog = log.build();
            this.ownsAlertLog = true;
        }
        this.consumer = Clients.consumer(source, b.groupId);
        consumer.subscribe(List.of(source.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                release(partitions);
            }
        });
    }

    /**
     * A builder.
     *
     * @param source    the topic to drain
     * @param storeSpec the central store, as its provider's spec ({@code jdbc:postgresql://...}, {@code file:DIR})
     */
    public static Builder builder(KafkaConnection source, String storeSpec) {
        return new Builder(source, storeSpec);
    }

    /** Consumes and stores until {@link #close()} is called. */
    public void run() throws IOException {
        running.lock();
        try {
            while (!stopping) {
                try {
                    pollOnce();
                } catch (IllegalStateException e) {
                    if (!stopping) {
                        throw e;
                    }
                }
            }
        } finally {
            running.unlock();
        }
    }

    /**
     * One round: polls the topic, verifies and stores what came, and commits the offsets of the partitions whose
     * records are all in the store.
     *
     * @return the number of messages consumed in this round
     * @throws IOException           when the collector's own log cannot record an alert or a store notice (nothing
     *                               of this round is committed then)
     * @throws IllegalStateException once {@link #close()} was called
     */
    public int pollOnce() throws IOException {
        running.lock();
        try {
            if (closed || stopping) {
                throw new IllegalStateException("collector is closed");
            }
            resumeDue();
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(pollTimeout);
            } catch (WakeupException e) {
                return 0;
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            long alertsBefore = alerts.get();
            long noticesBefore = notices;
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
                consumed.addAndGet(list.size());
                if (collectPartition(tp, list)) {
                    commit.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
                    backoff.remove(tp);
                } else {
                    consumer.seek(tp, list.get(0).offset());
                    Duration d = backoff.getOrDefault(tp, Duration.ofMillis(100));
                    backoff.put(tp, d.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d.multipliedBy(2));
                    pausedUntil.put(tp, System.nanoTime() + d.toNanos());
                    consumer.pause(Set.of(tp));
                }
            }
            if (alerts.get() != alertsBefore || notices != noticesBefore) {
                // An alert is evidence: durable before the offsets move past the records that raised it.
                try {
                    alertLog.flush();
                } catch (RuntimeException e) {
                    throw new IOException("cannot record the collector's alerts in " + alertLog.logId() + ": "
                            + e.getMessage() + "; offsets not committed", e);
                }
            }
            if (!commit.isEmpty()) {
                try {
                    consumer.commitSync(commit);
                } catch (WakeupException e) {
                    consumer.commitSync(commit); // the records are stored: their offsets must not be lost to a wakeup
                }
            }
            return records.count();
        } finally {
            running.unlock();
        }
    }

    private void resumeDue() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<TopicPartition, Long>> it = pausedUntil.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Long> e = it.next();
            if (now - e.getValue() >= 0) {
                if (consumer.assignment().contains(e.getKey())) {
                    consumer.resume(Set.of(e.getKey()));
                }
                it.remove();
            }
        }
    }

    /** @return false when the store failed: nothing of this partition's batch may be committed */
    private boolean collectPartition(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> list) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byChain = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : list) {
            String chainId = Clients.chainOf(r);
            if (!dev.auditlog.spi.ChainIds.isValid(chainId)) {
                alert(new CollectorAlert(CollectorAlert.Kind.MALFORMED, "", -1, r.topic(), r.partition(), r.offset(),
                        r.key() == null ? "the message has no key, so no chain" : "the key is not a valid chain id"));
                continue;
            }
            byChain.computeIfAbsent(chainId, k -> new ArrayList<>()).add(r);
        }
        boolean ok = true;
        for (Map.Entry<String, List<ConsumerRecord<byte[], byte[]>>> e : byChain.entrySet()) {
            try {
                collectChain(tp, e.getKey(), e.getValue());
            } catch (IOException | UncheckedIOException | IllegalStateException ex) {
                storeFailures.incrementAndGet();
                lastStoreFailure = "chain " + e.getKey() + ": " + ex.getMessage();
                forget(e.getKey());
                ok = false;
            }
        }
        return ok;
    }

    private void collectChain(TopicPartition tp, String chainId, List<ConsumerRecord<byte[], byte[]>> list)
            throws IOException {
        Chain chain = chains.get(chainId);
        if (chain == null) {
            // The stored copy is verified before the store's sink opens it: a sink that itself refuses an edited
            // chain would otherwise only fail, round after round, instead of raising the alert.
            StoredChain verified = verifyStored(chainId);
            if (verified.problem() != null) {
                chain = new Chain(null, tp, null);
                chains.put(chainId, chain);
                hold(chain, chainId, list.get(0), verified.nextSequence(), CollectorAlert.Kind.STORE_TAMPERED,
                        verified.problem(), list.size() - 1);
                return;
            }
            AuditSink sink = store.create(storeSpec);
            ChainHead head;
            try {
                head = sink.open(chainId).orElse(null);
            } catch (IOException | RuntimeException e) {
                sink.close();
                throw e;
            }
            chain = new Chain(sink, tp, head);
            chains.put(chainId, chain);
            recordNotices(sink);
            String mismatch = verified.headMismatch(head);
            if (mismatch != null) {
                hold(chain, chainId, list.get(0), verified.nextSequence(), CollectorAlert.Kind.STORE_TAMPERED,
                        mismatch, list.size() - 1);
                return;
            }
        }
        if (chain.held) {
            heldBack.addAndGet(list.size());
            return;
        }
        List<SealedRecord> redelivery = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> redeliveryAt = new ArrayList<>();
        List<SealedRecord> fresh = new ArrayList<>();
        Map<Long, SealedRecord> freshBySequence = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> freshAt = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = list.get(i);
            SealedRecord s;
            try {
                s = SealedRecord.parse(r.value() == null ? new byte[0] : r.value());
            } catch (IllegalArgumentException e) {
                hold(chain, chainId, r, Clients.headerSequence(r), CollectorAlert.Kind.MALFORMED,
                        "not a sealed record: " + e.getMessage(), list.size() - i - 1);
                break;
            }
            if (s.sequence() < chain.next) {
                redelivery.add(s);
                redeliveryAt.add(r);
            } else if (freshBySequence.containsKey(s.sequence())) {
                // A repeat inside this batch (Kafka holds a record twice after a lost acknowledgement).
                SealedRecord earlier = freshBySequence.get(s.sequence());
                if (earlier.equals(s)) {
                    redelivered.incrementAndGet();
                } else {
                    alert(new CollectorAlert(CollectorAlert.Kind.TAMPERED, chainId, s.sequence(), r.topic(),
                            r.partition(), r.offset(), "record " + s.sequence() + " appears again with different"
                            + " bytes; the first copy is kept"));
                }
            } else {
                fresh.add(s);
                freshBySequence.put(s.sequence(), s);
                freshAt.add(r);
            }
        }
        checkRedelivered(chain, chainId, redelivery, redeliveryAt);
        if (fresh.isEmpty()) {
            return;
        }
        ChainVerifier.Builder vb = verifier(chainId);
        if (chain.next > 0) {
            vb.resumingAt(chain.next, chain.previous);
        }
        ChainVerifier verifier = vb.build();
        fresh.forEach(verifier::accept);
        VerificationReport report = verifier.finish();
        Finding first = null;
        for (Finding f : report.findings()) {
            if (!f.isWarning() && (first == null || f.sequence() < first.sequence())) {
                first = f;
            }
        }
        int good = fresh.size();
        if (first != null) {
            good = 0;
            while (good < fresh.size() && fresh.get(good).sequence() < first.sequence()) {
                good++;
            }
        }
        if (good > 0) {
            List<SealedRecord> batch = fresh.subList(0, good);
            try {
                chain.sink.write(batch);
            } finally {
                recordNotices(chain.sink);
            }
            SealedRecord last = batch.get(batch.size() - 1);
            chain.next = last.sequence() + 1;
            chain.previous = last.chainHash();
            stored.addAndGet(good);
        }
        if (first != null) {
            ConsumerRecord<byte[], byte[]> at = freshAt.get(good);
            CollectorAlert.Kind kind = first.kind() == Finding.Kind.SEQUENCE_GAP ? CollectorAlert.Kind.GAP
                    : first.kind() == Finding.Kind.MALFORMED ? CollectorAlert.Kind.MALFORMED
                    : CollectorAlert.Kind.TAMPERED;
            String message = first.kind() == Finding.Kind.SEQUENCE_GAP
                    ? "the store holds the chain up to " + (chain.next - 1) + ", the next record in Kafka is "
                    + fresh.get(good).sequence() + " (records " + chain.next + ".." + (fresh.get(good).sequence() - 1)
                    + " are missing)"
                    : first.kind() + ": " + first.message();
            hold(chain, chainId, at, fresh.get(good).sequence(), kind, message, fresh.size() - good - 1);
        }
    }

    private ChainVerifier.Builder verifier(String chainId) {
        ChainVerifier.Builder vb = ChainVerifier.builder(chainId);
        if (!keys.isEmpty()) {
            vb.publicKey(keys.get(0));
            keys.subList(1, keys.size()).forEach(vb::alsoTrust);
        }
        return vb;
    }

    /**
     * What the central store holds of one chain, verified from its start.
     *
     * @param problem      the first verification failure, in words, or null
     * @param nextSequence the sequence number after the last stored record (0: the store has no record of it)
     * @param chainHead    the chain hash of the last stored record, or null when there is none
     */
    private record StoredChain(String problem, long nextSequence, byte[] chainHead) {
        /** What is wrong when the store's sink reports a head other than where the verified chain ends, or null. */
        String headMismatch(ChainHead head) {
            if (chainHead == null && head == null) {
                return null;
            }
            if (head != null && chainHead != null && head.sequence() + 1 == nextSequence
                    && Arrays.equals(head.chainHash(), chainHead)) {
                return null;
            }
            return "the central store's sink reports head " + (head == null ? "none" : head.sequence())
                    + " but its stored chain verifies up to " + (nextSequence - 1)
                    + (head != null && head.sequence() + 1 == nextSequence ? " with a different chain hash" : "");
        }
    }

    /**
     * Before appending to a chain the store already holds, the stored copy is verified from its start under the
     * pinned key (links, signatures, every checkpoint's Merkle root over the stored records), and its end must be
     * the head the store's sink reports: a store edited while no collector watched is found here, not continued.
     */
    private StoredChain verifyStored(String chainId) throws IOException {
        AuditReader reader = store.reader(storeSpec).orElse(null);
        if (reader == null) {
            return new StoredChain(null, 0, null); // cannot be read back: the sink's head is all there is
        }
        ChainVerifier verifier = verifier(chainId).build();
        try (reader) {
            // One record looked up by chain, not a listing of every chain: stores list chains by scanning records.
            boolean stored;
            try (Stream<SealedRecord> first = reader.read(chainId, 0)) {
                stored = first.findFirst().isPresent();
            } catch (UncheckedIOException unreadable) {
                stored = true; // the verifier's scan says what is wrong with it, or fails as the store does
            }
            if (!stored) {
                return new StoredChain(null, 0, null);
            }
            verifier.readFrom(reader);
        }
        VerificationReport report = verifier.finish();
        resumeChecks.incrementAndGet();
        for (Finding f : report.findings()) {
            if (!f.isWarning()) {
                return new StoredChain("the central store's copy of the chain does not verify: " + f
                        + (report.findings().size() > 1 ? " (and " + (report.findings().size() - 1)
                        + " more finding(s))" : ""), report.nextSequence(), report.chainHead());
            }
        }
        return new StoredChain(null, report.nextSequence(), report.nextSequence() == 0 ? null : report.chainHead());
    }

    /** Records at or below the store's head: compare them with the stored copies, byte for byte. */
    private void checkRedelivered(Chain chain, String chainId, List<SealedRecord> records,
                                  List<ConsumerRecord<byte[], byte[]>> at) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        long from = records.stream().mapToLong(SealedRecord::sequence).min().orElseThrow();
        long to = records.stream().mapToLong(SealedRecord::sequence).max().orElseThrow();
        Map<Long, byte[]> storedCopies = new HashMap<>();
        AuditReader reader = store.reader(storeSpec).orElse(null);
        if (reader != null) {
            try (reader; Stream<SealedRecord> s = reader.read(chainId, from)) {
                for (Iterator<SealedRecord> it = s.iterator(); it.hasNext(); ) {
                    SealedRecord r = it.next();
                    if (r.sequence() > to) {
                        break;
                    }
                    storedCopies.put(r.sequence(), r.line());
                }
            }
        }
        for (int i = 0; i < records.size(); i++) {
            SealedRecord r = records.get(i);
            byte[] copy = storedCopies.get(r.sequence());
            if (reader == null || (copy != null && Arrays.equals(copy, r.line()))) {
                redelivered.incrementAndGet();
            } else {
                ConsumerRecord<byte[], byte[]> c = at.get(i);
                alert(new CollectorAlert(CollectorAlert.Kind.TAMPERED, chainId, r.sequence(), c.topic(),
                        c.partition(), c.offset(), copy == null ? "the store's head is past record " + r.sequence()
                        + " but the store does not hold it" : "record " + r.sequence() + " differs from the copy the"
                        + " store holds; the stored copy is kept"));
            }
        }
    }

    private void hold(Chain chain, String chainId, ConsumerRecord<byte[], byte[]> at, long sequence,
                      CollectorAlert.Kind kind, String message, int behind) {
        chain.held = true;
        heldBack.addAndGet(1 + Math.max(0, behind));
        alert(new CollectorAlert(kind, chainId, sequence, at.topic(), at.partition(), at.offset(), message
                + "; the chain is held: its later records stay in Kafka and are not stored"));
    }

    private void alert(CollectorAlert alert) {
        alerts.incrementAndGet();
        alertLog.record(AuditEvent.builder()
                .action("audit.collector." + alert.kind().name().toLowerCase(Locale.ROOT))
                .category(Category.SYSTEM).severity(Severity.CRITICAL)
                .actor(Actor.system("auditlog-collector"))
                .target(Target.of("audit.chain", alert.chainId().isEmpty() ? "(none)" : alert.chainId()))
                .outcome(Outcome.failure(alert.kind().name().toLowerCase(Locale.ROOT)))
                .message(alert.message())
                .attribute("kafka.topic", alert.topic())
                .attribute("kafka.partition", alert.partition())
                .attribute("kafka.offset", alert.offset())
                .attribute("chain.sequence", alert.sequence())
                .build());
        alertListener.accept(alert);
    }

    /** What the store's sink reports about its storage becomes evidence in the collector's own log. */
    private void recordNotices(AuditSink sink) {
        for (AuditEvent notice : sink.takeNotices()) {
            alertLog.record(notice);
            notices++;
        }
    }

    private void release(Collection<TopicPartition> partitions) {
        Set<TopicPartition> gone = new HashSet<>(partitions);
        List<String> ids = new ArrayList<>();
        chains.forEach((id, c) -> {
            if (gone.contains(c.partition)) {
                ids.add(id);
            }
        });
        ids.forEach(this::forget);
        gone.forEach(tp -> {
            pausedUntil.remove(tp);
            backoff.remove(tp);
        });
    }

    private void forget(String chainId) {
        Chain c = chains.remove(chainId);
        if (c != null && c.sink != null) {
            try {
                c.sink.close();
            } catch (IOException | RuntimeException e) {
                lastStoreFailure = "closing the store's sink for chain " + chainId + ": " + e.getMessage();
            }
        }
    }

    /**
     * Whether the collector holds partitions and has consumed each of them to the end its last fetch saw, with
     * nothing paused for a store retry. For callers that drain a topic and stop ({@code auditlog collect
     * --until-idle}).
     */
    public boolean caughtUp() {
        running.lock();
        try {
            if (closed || stopping) {
                return false;
            }
            Set<TopicPartition> assigned = consumer.assignment();
            if (assigned.isEmpty() || !pausedUntil.isEmpty()) {
                return false;
            }
            for (TopicPartition tp : assigned) {
                java.util.OptionalLong lag = consumer.currentLag(tp);
                if (lag.isEmpty() || lag.getAsLong() > 0) {
                    return false;
                }
            }
            return true;
        } finally {
            running.unlock();
        }
    }

    /** Counters since this collector started. */
    public Stats stats() {
        return new Stats(consumed.get(), stored.get(), redelivered.get(), alerts.get(), heldBack.get(),
                storeFailures.get(), resumeChecks.get(), lastStoreFailure);
    }

    /**
     * Counters of one collector.
     *
     * @param consumed         messages read from Kafka (a message read again after a failure counts again)
     * @param stored           records written into the central store
     * @param redelivered      records found already stored, byte for byte, and skipped
     * @param alerts           alerts raised
     * @param heldBack         records not stored because their chain is held after an alert
     * @param storeFailures    failed writes into the store (retried)
     * @param resumeChecks     chains the store already held, verified from their start before appending to them
     * @param lastStoreFailure the last store failure, in words, or empty
     */
    public record Stats(long consumed, long stored, long redelivered, long alerts, long heldBack, long storeFailures,
                        long resumeChecks, String lastStoreFailure) {
    }

    /**
     * Stops {@link #run()} (from any thread), waits for the round in progress to end, and releases the consumer (its
     * partitions go to the rest of the group), the store's sinks and the collector's own log. Idempotent.
     */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        running.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            new ArrayList<>(chains.keySet()).forEach(this::forget);
            consumer.close();
            if (ownsAlertLog) {
                alertLog.close();
            }
        } finally {
            running.unlock();
        }
    }

    /** Builds a {@link KafkaCollector}. */
    public static final class Builder {
        private final KafkaConnection source;
        private final String storeSpec;
        private final AuditSinkProvider provider;
        private final List<VerifierKey> keys = new ArrayList<>();
        private String groupId = "auditlog-collector";
        private String collectorId = "auditlog-collector";
        private Duration pollTimeout = Duration.ofSeconds(1);
        private Consumer<CollectorAlert> alertListener = a -> { };
        private AuditLog alertLog;
        private SigningKey signingKey;

        private Builder(KafkaConnection source, String storeSpec) {
            this.source = Objects.requireNonNull(source, "source");
            this.storeSpec = Objects.requireNonNull(storeSpec, "storeSpec");
            this.provider = provider(storeSpec);
            try (AuditSink probe = provider.create(storeSpec)) {
                Objects.requireNonNull(probe, "sink"); // validates the spec now, not at the first record
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static AuditSinkProvider provider(String spec) {
            int colon = spec.indexOf(':');
            String scheme = colon <= 0 ? "" : spec.substring(0, colon).toLowerCase(Locale.ROOT);
            List<String> found = new ArrayList<>();
            for (AuditSinkProvider p : ServiceLoader.load(AuditSinkProvider.class,
                    KafkaCollector.class.getClassLoader())) {
                if (p.scheme().equals(scheme)) {
                    return p;
                }
                found.add(p.scheme());
            }
            throw new IllegalArgumentException("storeSpec names no store on the class path: scheme \"" + scheme
                    + "\" (found: " + String.join(", ", found) + ")");
        }

        /** The pinned key: checkpoint records must verify under it. Required. */
        public Builder publicKey(VerifierKey key) {
            keys.add(0, Objects.requireNonNull(key, "key"));
            return this;
        }

        /** A further trusted key (a rotated one). */
        public Builder alsoTrust(VerifierKey key) {
            keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** The consumer group shared by the collectors of one topic; default {@code auditlog-collector}. */
        public Builder groupId(String groupId) {
            Objects.requireNonNull(groupId, "groupId");
            if (groupId.isBlank()) {
                throw new IllegalArgumentException("groupId must not be blank");
            }
            this.groupId = groupId;
            return this;
        }

        /**
         * The id of the collector's own log in the central store, where alerts and store notices are recorded;
         * default {@code auditlog-collector}. Each collector of a group needs its own (one writer per chain).
         * Ignored when {@link #alertLog} is given.
         */
        public Builder collectorId(String collectorId) {
            this.collectorId = LogIds.check(collectorId);
            return this;
        }

        /** Signs checkpoints of the collector's own log (see {@link #collectorId}). */
        public Builder signingKey(SigningKey key) {
            this.signingKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Records alerts into this log instead of one the collector opens on the central store. */
        public Builder alertLog(AuditLog log) {
            this.alertLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Told of every alert, on the collecting thread, after the alert is recorded. */
        public Builder alertListener(Consumer<CollectorAlert> listener) {
            this.alertListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** How long one round waits for messages; default 1 s. */
        public Builder pollTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("pollTimeout must be positive, was " + timeout);
            }
            this.pollTimeout = timeout;
            return this;
        }

        /**
         * Builds the collector and joins the group (partitions are assigned at the first round).
         *
         * @throws IllegalStateException when no public key was given
         */
        public KafkaCollector build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("publicKey(...) is required: the collector verifies every chain's"
                        + " checkpoint signatures under the pinned key");
            }
            return new KafkaCollector(this);
        }
    }
}
