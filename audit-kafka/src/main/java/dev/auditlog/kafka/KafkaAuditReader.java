package dev.auditlog.kafka;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads chains back from the topic a {@link KafkaAuditSink} writes: the records of one chain from its partition, in
 * partition order. A record repeated with identical bytes at the same sequence number (a write whose acknowledgement
 * was lost, see {@link KafkaAuditSink}) is read once; a repeat with different bytes is an error for {@link #read} and
 * a storage mismatch for {@link #scan}, which the verifier reports.
 *
 * <p>Reads what the partition holds when the read starts (its end offset then). Not thread-safe.
 */
public final class KafkaAuditReader implements AuditReader {
    /** Sequences remembered to recognise a repeat; a repeat further back is handed on and the verifier flags it. */
    private static final int REMEMBERED = 65_536;

    private final KafkaConnection connection;
    private final Duration timeout;
    private final List<KafkaConsumer<byte[], byte[]>> open = Collections.synchronizedList(new ArrayList<>());
    private boolean closed;

    private KafkaAuditReader(KafkaConnection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    /** A reader over the topic {@code connection} names; it connects when first used. */
    public static KafkaAuditReader open(KafkaConnection connection) {
        return new KafkaAuditReader(Objects.requireNonNull(connection, "connection"), Duration.ofSeconds(30));
    }

    /** A reader for a {@code kafka://host:port[,host:port]/topic[?setting=value&...]} spec. */
    public static KafkaAuditReader open(String spec) {
        return open(KafkaConnection.parse(spec));
    }

    /** Every chain with a record in the topic (reads the whole topic). */
    @Override
    public Set<String> chainIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.reader(connection)) {
            int partitions = Clients.partitionCount(consumer, connection, timeout);
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(connection.topic(), p);
                Clients.readRange(consumer, tp, Clients.beginningOffset(consumer, tp, timeout),
                        Clients.endOffset(consumer, tp, timeout), timeout, r -> {
                            String id = Clients.chainOf(r);
                            if (dev.auditlog.spi.ChainIds.isValid(id)) {
                                ids.add(id);
                            }
                            return true;
                        });
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot list the chains of " + connection + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** The chain's records from {@code fromSequence} on, read lazily from its partition; close the stream. */
    @Override
    public Stream<SealedRecord> read(String logId, long fromSequence) throws IOException {
        Cursor cursor = new Cursor(logId);
        Iterator<SealedRecord> it = new Iterator<>() {
            SealedRecord next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null) {
                        Cursor.Item item = cursor.next();
                        if (item == null) {
                            return false;
                        }
                        if (item.problem() != null) {
                            throw new UncheckedIOException(new IOException("chain " + logId + " at "
                                    + item.location() + ": " + item.problem()));
                        }
                        if (item.record().sequence() >= fromSequence) {
                            next = item.record();
                        }
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public SealedRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SealedRecord r = next;
                next = null;
                return r;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(cursor::close);
    }

    @Override
    public void scan(String logId, LogScan scan) throws IOException {
        try (Cursor cursor = new Cursor(logId)) {
            for (Cursor.Item item = cursor.next(); item != null; item = cursor.next()) {
                if (item.record() != null) {
                    scan.record(item.record(), item.location());
                } else if (item.unreadable()) {
                    scan.unreadable(item.sequence(), item.location(), item.problem());
                } else {
                    scan.storageMismatch(item.sequence(), item.location(), item.problem());
                }
            }
        }
    }

    /**
     * Walks one chain's records in its partition up to the end offset the partition had when the walk began,
     * in constant memory (a bounded window of digests to recognise repeats).
     */
    private final class Cursor implements AutoCloseable {
        record Item(SealedRecord record, long sequence, String location, String problem, boolean unreadable) {
        }

        private final String logId;
        private final byte[] key;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition tp;
        private final long end;
        private final Map<Long, byte[]> seen = new LinkedHashMap<>(1024, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > REMEMBERED;
            }
        };
        private final ArrayDeque<Item> pending = new ArrayDeque<>();
        private Iterator<ConsumerRecord<byte[], byte[]>> batch = Collections.emptyIterator();
        private long last = -1;
        private boolean done;

        Cursor(String logId) throws IOException {
            this.logId = dev.auditlog.spi.ChainIds.check(logId);
            if (closed) {
                throw new IllegalStateException("reader of " + connection + " is closed");
            }
            this.key = logId.getBytes(StandardCharsets.UTF_8);
            this.consumer = Clients.reader(connection);
            open.add(consumer);
            try {
                int partitions = Clients.partitionCount(consumer, connection, timeout);
                tp = new TopicPartition(connection.topic(), Clients.partitionOf(logId, partitions));
                long begin = Clients.beginningOffset(consumer, tp, timeout);
                end = Clients.endOffset(consumer, tp, timeout);
                consumer.assign(Set.of(tp));
                consumer.seek(tp, begin);
                done = begin >= end;
            } catch (IOException | RuntimeException e) {
                close();
                throw e instanceof IOException io ? io : new IOException("cannot read chain " + logId + " from "
                        + connection + ": " + e.getMessage(), e);
            }
        }

        /** The next item, or null at the end. */
        Item next() throws IOException {
            while (pending.isEmpty()) {
                if (batch.hasNext()) {
                    ConsumerRecord<byte[], byte[]> r = batch.next();
                    if (r.offset() >= end) {
                        done = true;
                        batch = Collections.emptyIterator();
                    } else if (Clients.isChain(r, key)) {
                        visit(r);
                    }
                    continue;
                }
                if (done) {
                    return null;
                }
                try {
                    if (consumer.position(tp, timeout) >= end) {
                        done = true;
                        continue;
                    }
                    var polled = consumer.poll(timeout);
                    if (polled.isEmpty() && consumer.position(tp, timeout) < end) {
                        throw new IOException("no records from " + tp + " within " + timeout.toMillis()
                                + " ms at offset " + consumer.position(tp, timeout) + " (end " + end + ")");
                    }
                    batch = polled.records(tp).iterator();
                } catch (RuntimeException e) {
                    throw new IOException("cannot read chain " + logId + " from " + connection + ": "
                            + e.getMessage(), e);
                }
            }
            return pending.poll();
        }

        private void visit(ConsumerRecord<byte[], byte[]> r) {
            String location = Clients.location(r);
            SealedRecord s;
            try {
                s = SealedRecord.parse(r.value() == null ? new byte[0] : r.value());
            } catch (IllegalArgumentException e) {
                pending.add(new Item(null, Clients.headerSequence(r), location, "not a sealed record: "
                        + e.getMessage(), true));
                return;
            }
            long header = Clients.headerSequence(r);
            if (header != s.sequence()) {
                pending.add(new Item(null, s.sequence(), location, "the auditlog.sequence header says " + header
                        + ", the record says " + s.sequence(), false));
            }
            byte[] digest = sha256(r.value());
            if (s.sequence() <= last) {
                byte[] earlier = seen.get(s.sequence());
                if (earlier != null && Arrays.equals(earlier, digest)) {
                    return; // the same record again: a write whose acknowledgement was lost, stored twice by Kafka
                }
                if (earlier != null) {
                    pending.add(new Item(null, s.sequence(), location, "record " + s.sequence()
                            + " appears again with different bytes", false));
                    return;
                }
            }
            seen.put(s.sequence(), digest);
            last = Math.max(last, s.sequence());
            pending.add(new Item(s, s.sequence(), location, null, false));
        }

        @Override
        public void close() {
            open.remove(consumer);
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Idempotent; wakes up a read in progress on another thread. */
    @Override
    public void close() {
        closed = true;
        synchronized (open) {
            open.forEach(KafkaConsumer::wakeup);
        }
    }

}
