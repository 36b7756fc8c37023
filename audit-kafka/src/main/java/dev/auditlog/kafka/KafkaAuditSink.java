package dev.auditlog.kafka;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainLeaseException;
import dev.auditlog.spi.SealedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stores a chain's sealed records in a Kafka topic: each record's bytes unchanged as the message value, the chain id
 * as the key and in the {@code auditlog.chain} header, the sequence number in the {@code auditlog.sequence} header
 * (decimal). Every record of a chain goes to one partition (Kafka's murmur2 hash of the key, modulo the topic's
 * partitions), in sequence order, through an idempotent producer with {@code acks=all}.
 *
 * <h2>Durability</h2>
 * {@link #write} returns when every record of the batch is acknowledged by the partition's in-sync replicas
 * ({@code acks=all}): with a replication factor of 3 and {@code min.insync.replicas=2} a batch survives the loss of
 * any one broker. The sink never creates the topic: those settings are the operator's.
 *
 * <h2>Open, redelivery, lost acknowledgements</h2>
 * {@link #open} finds the chain's head by reading its partition backwards from the end until it meets the chain's
 * newest record (a chain that never wrote reads the whole partition once). A redelivered record (sequence at or below
 * the head) is compared with the stored one: identical bytes are a no-op, different bytes are refused. When a write
 * fails (a broker failover outlasting {@code delivery.timeout.ms}, say), some of the batch may be stored even
 * though its acknowledgement was lost: the sink drops its producer and, before the next write, reads the partition
 * tail again, so that what was stored is treated as redelivered and never sent twice.
 *
 * <h2>No transactions</h2>
 * The sink does not use Kafka transactions: a chain has one writer, the idempotent producer already appends each
 * record once per producer session, and the tail re-read covers the session change after a failure; a transaction
 * per batch would add two round trips and a marker per batch for nothing the chain needs. One window remains: a
 * record whose acknowledgement was lost and that only becomes visible (replicated) after the tail was re-read would be
 * stored a second time, with the same bytes. Readers ({@link KafkaAuditReader}, {@link KafkaCollector}) treat a
 * repeated sequence with identical bytes as the one record it is, and a repeat with different bytes as tampering.
 *
 * <h2>One writer per chain</h2>
 * Kafka has no lock that ends when its holder dies, so the lease this sink takes in {@link #open} is held in this JVM
 * only (per bootstrap servers, topic and chain): a second sink on the same chain in the same process is refused with
 * {@link ChainLeaseException}. <b>Across processes nothing is enforced</b>: one writer per chain rests on each
 * process having its own instance id ({@code docs/FORMAT.md}, section 13), and is checked after the fact. Two
 * processes writing one chain both read the same head and both append the next sequence numbers; Kafka stores both.
 * The first repeated sequence number with different bytes is a fork: {@link KafkaAuditReader} and {@code auditlog
 * verify} report it, and the {@link KafkaCollector} raises a {@link CollectorAlert.Kind#TAMPERED} alert for every
 * conflicting copy and stores only records that link to the chain it holds (when the copies interleave so that the
 * chain stops linking, it holds the chain), so the central store never holds a forked chain. Kafka's own fencing ({@code transactional.id} per chain, with
 * {@code initTransactions} before the head is read) was not chosen: it lets the newcomer win and fails the writer
 * already running on its next batch, which turns a duplicated instance id into an outage of the healthy node rather
 * than a refusal at start, and it puts a transaction (two more round trips and a commit marker) on every batch.
 * See {@code docs/SCALING.md}, "One writer per chain on Kafka".
 *
 * <p>Not thread-safe, as {@link AuditSink} allows: the log calls it from one thread.
 */
public final class KafkaAuditSink implements AuditSink {
    /** Records kept to check redeliveries without reading Kafka back. */
    private static final int RECENT = 4096;
    private static final int SCAN_WINDOW = 2048;

    /** This JVM's Kafka chain leases: bootstrap servers, topic and chain id to the holder's description. */
    private static final java.util.concurrent.ConcurrentMap<String, String> LEASES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final KafkaConnection connection;
    private final Duration timeout;
    private String leaseKey;
    private KafkaProducer<byte[], byte[]> producer;
    private String chainId;
    private byte[] key;
    private TopicPartition partition;
    private ChainHead head;
    /** A write failed: what is stored is unknown until the tail is read again. */
    private boolean uncertain;
    private boolean closed;
    private final Map<Long, byte[]> recent = new LinkedHashMap<>(RECENT * 2, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > RECENT;
        }
    };

    private KafkaAuditSink(KafkaConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** A sink for a {@code kafka://host:port[,host:port]/topic[?setting=value&...]} spec. */
    public static KafkaAuditSink of(String spec) {
        return builder(KafkaConnection.parse(spec)).build();
    }

    /** A builder for a sink on {@code connection}. */
    public static Builder builder(KafkaConnection connection) {
        return new Builder(connection);
    }

    @Override
    public String name() {
        return connection.toString();
    }

    /** The connection this sink writes to. */
    public KafkaConnection connection() {
        return connection;
    }

    @Override
    public Optional<ChainHead> open(String chainId) throws IOException {
        ChainIds.check(chainId);
        checkOpen();
        if (this.chainId != null) {
            throw new IllegalStateException("sink " + name() + " is already open for chain " + this.chainId);
        }
        String lease = connection.bootstrapServers() + "|" + connection.topic() + "|" + chainId;
        String holder = LEASES.putIfAbsent(lease, ChainLeaseException.describeThisProcess(chainId,
                java.time.Instant.now()));
        if (holder != null) {
            throw new ChainLeaseException(chainId, holder, "in-process lease on " + name());
        }
        leaseKey = lease;
        this.chainId = chainId;
        this.key = chainId.getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.reader(connection)) {
            int partitions = Clients.partitionCount(consumer, connection, timeout);
            partition = new TopicPartition(connection.topic(), Clients.partitionOf(chainId, partitions));
            head = findHead(consumer);
        } catch (RuntimeException e) {
            throw new IOException("cannot read the head of chain " + chainId + " from " + name() + ": "
                    + e.getMessage(), e);
        }
        return Optional.ofNullable(head);
    }

    /** The chain's newest stored record, reading the partition backwards window by window. */
    private ChainHead findHead(KafkaConsumer<byte[], byte[]> consumer) throws IOException {
        long begin = Clients.beginningOffset(consumer, partition, timeout);
        long end = Clients.endOffset(consumer, partition, timeout);
        for (long windowEnd = end; windowEnd > begin; windowEnd = Math.max(begin, windowEnd - SCAN_WINDOW)) {
            long windowStart = Math.max(begin, windowEnd - SCAN_WINDOW);
            SealedRecord[] newest = new SealedRecord[1];
            Clients.readRange(consumer, partition, windowStart, windowEnd, timeout, r -> {
                if (Clients.isChain(r, key)) {
                    SealedRecord s = parse(r);
                    if (newest[0] == null || s.sequence() > newest[0].sequence()) {
                        newest[0] = s;
                    }
                    remember(s);
                }
                return true;
            });
            if (newest[0] != null) {
                return ChainHead.of(newest[0].sequence(), newest[0].chainHash());
            }
        }
        return null;
    }

    private SealedRecord parse(ConsumerRecord<byte[], byte[]> r) throws IOException {
        SealedRecord s;
        try {
            s = SealedRecord.parse(r.value() == null ? new byte[0] : r.value());
        } catch (IllegalArgumentException e) {
            throw new IOException("chain " + chainId + ": the record at " + Clients.location(r) + " of topic "
                    + connection.topic() + " is not a sealed record: " + e.getMessage(), e);
        }
        if (!s.logId().equals(chainId)) {
            throw new IOException("chain " + chainId + ": the record at " + Clients.location(r) + " of topic "
                    + connection.topic() + " carries the key of this chain but belongs to chain " + s.logId());
        }
        return s;
    }

    private void remember(SealedRecord s) {
        recent.put(s.sequence(), s.line());
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        Objects.requireNonNull(records, "records");
        checkOpen();
        if (chainId == null) {
            throw new IllegalStateException("sink " + name() + ": write before open");
        }
        if (records.isEmpty()) {
            return;
        }
        if (uncertain) {
            rereadTail();
        }
        List<SealedRecord> fresh = new ArrayList<>(records.size());
        long next = head == null ? 0 : head.sequence() + 1;
        for (SealedRecord r : records) {
            if (!r.logId().equals(chainId)) {
                throw new IOException("sink " + name() + " is open for chain " + chainId + ", got a record of chain "
                        + r.logId());
            }
            if (r.sequence() < next && fresh.isEmpty()) {
                checkRedelivery(r);
            } else if (r.sequence() == next) {
                fresh.add(r);
                next++;
            } else {
                throw new IOException("chain " + chainId + ": record " + r.sequence() + " does not follow "
                        + (next - 1) + " (a gap or reordering; the sink stores a chain contiguously)");
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        send(fresh);
    }

    private void send(List<SealedRecord> fresh) throws IOException {
        if (producer == null) {
            producer = Clients.producer(connection);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(fresh.size());
        try {
            byte[] chainHeader = key;
            for (SealedRecord r : fresh) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(new RecordHeader(Clients.CHAIN_HEADER, chainHeader));
                headers.add(new RecordHeader(Clients.SEQUENCE_HEADER,
                        Long.toString(r.sequence()).getBytes(StandardCharsets.US_ASCII)));
                acks.add(producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, r.line(),
                        headers)));
            }
            producer.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> f : acks) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            fail();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("chain " + chainId + ": records " + fresh.get(0).sequence() + ".."
                    + fresh.get(fresh.size() - 1).sequence() + " not acknowledged by " + name() + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail();
            throw new IOException("chain " + chainId + ": interrupted while waiting for acknowledgements", e);
        }
        SealedRecord last = fresh.get(fresh.size() - 1);
        head = ChainHead.of(last.sequence(), last.chainHash());
        fresh.forEach(this::remember);
    }

    /** Some of the batch may be stored: drop the producer's session and re-read the tail before the next write. */
    private void fail() {
        uncertain = true;
        KafkaProducer<byte[], byte[]> p = producer;
        producer = null;
        if (p != null) {
            p.close(Duration.ZERO);
        }
    }

    private void rereadTail() throws IOException {
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.reader(connection)) {
            ChainHead found = findHead(consumer);
            if (found != null && (head == null || found.sequence() >= head.sequence())) {
                head = found;
            }
        } catch (RuntimeException e) {
            throw new IOException("chain " + chainId + ": cannot re-read the tail of " + partition + " at " + name()
                    + " after a failed write: " + e.getMessage(), e);
        }
        uncertain = false;
    }

    private void checkRedelivery(SealedRecord r) throws IOException {
        byte[] stored = recent.get(r.sequence());
        if (stored == null) {
            stored = readStored(r.sequence());
        }
        if (stored == null) {
            throw new IOException("chain " + chainId + ": record " + r.sequence() + " is below the head "
                    + head.sequence() + " but is not stored in " + partition + " (removed by retention?)");
        }
        if (!Arrays.equals(stored, r.line())) {
            throw new IOException("chain " + chainId + ": record " + r.sequence() + " is already stored in "
                    + partition + " with different bytes; refusing the redelivery");
        }
    }

    private byte[] readStored(long sequence) throws IOException {
        byte[][] found = new byte[1][];
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.reader(connection)) {
            long begin = Clients.beginningOffset(consumer, partition, timeout);
            long end = Clients.endOffset(consumer, partition, timeout);
            for (long windowEnd = end; windowEnd > begin && found[0] == null;
                 windowEnd = Math.max(begin, windowEnd - SCAN_WINDOW)) {
                long[] lowest = {Long.MAX_VALUE};
                Clients.readRange(consumer, partition, Math.max(begin, windowEnd - SCAN_WINDOW), windowEnd, timeout,
                        r -> {
                            if (Clients.isChain(r, key)) {
                                SealedRecord s = parse(r);
                                lowest[0] = Math.min(lowest[0], s.sequence());
                                if (s.sequence() == sequence && found[0] == null) {
                                    found[0] = s.line();
                                }
                            }
                            return true;
                        });
                if (lowest[0] < sequence) {
                    break; // went past it
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("chain " + chainId + ": cannot read record " + sequence + " back from " + partition
                    + ": " + e.getMessage(), e);
        }
        return found[0];
    }

    @Override
    public Optional<AuditReader> reader() {
        return Optional.of(KafkaAuditReader.open(connection));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("sink " + name() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (producer != null) {
                producer.close(timeout);
                producer = null;
            }
        } finally {
            if (leaseKey != null) {
                LEASES.remove(leaseKey);
                leaseKey = null;
            }
        }
    }

    /** Builds a {@link KafkaAuditSink}. */
    public static final class Builder {
        private final KafkaConnection connection;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(KafkaConnection connection) {
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        /**
         * How long {@code open} and {@code write} wait for the cluster (metadata, reads, acknowledgements) before they
         * fail; default 30 s. Kafka's own {@code delivery.timeout.ms} (default here 30 s) bounds the producer's
         * retries.
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Builds the sink; it connects on {@link KafkaAuditSink#open}. */
        public KafkaAuditSink build() {
            return new KafkaAuditSink(connection, timeout);
        }
    }
}
