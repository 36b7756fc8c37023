package dev.auditlog.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Kafka clients the sink, reader and collector use, with the settings the guarantees depend on. */
final class Clients {
    /** Header with the chain id (UTF-8), the same as the record key. */
    static final String CHAIN_HEADER = "auditlog.chain";
    /** Header with the record's sequence number in its chain, as decimal ASCII digits. */
    static final String SEQUENCE_HEADER = "auditlog.sequence";

    private Clients() {
    }

    static KafkaProducer<byte[], byte[]> producer(KafkaConnection c) {
        Map<String, Object> p = common(c);
        // Only these keep the order and the exactly-once append per partition that the chain needs.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer without a group, for reading partitions by assignment. */
    static KafkaConsumer<byte[], byte[]> reader(KafkaConnection c) {
        return consumer(c, null);
    }

    static KafkaConsumer<byte[], byte[]> consumer(KafkaConnection c, String groupId) {
        Map<String, Object> p = common(c);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> common(KafkaConnection c) {
        Map<String, Object> p = new HashMap<>(c.settings());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        return p;
    }

    /**
     * The partitions of the topic.
     *
     * @throws IOException when the topic does not exist or cannot be described in time
     */
    static int partitionCount(KafkaConsumer<?, ?> consumer, KafkaConnection c, Duration timeout) throws IOException {
        List<PartitionInfo> parts;
        try {
            parts = consumer.partitionsFor(c.topic(), timeout);
        } catch (RuntimeException e) {
            throw new IOException("cannot describe topic " + c.topic() + " at " + c.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
        if (parts == null || parts.isEmpty()) {
            throw new IOException("topic " + c.topic() + " does not exist at " + c.bootstrapServers()
                    + " (create it first: its partitions, replication factor and min.insync.replicas are an"
                    + " operator's choice)");
        }
        return parts.size();
    }

    /** The partition a chain is written to: Kafka's own hash of the key, so tools that partition by key agree. */
    static int partitionOf(String chainId, int partitions) {
        return Utils.toPositive(Utils.murmur2(chainId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static String chainOf(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    static boolean isChain(ConsumerRecord<byte[], byte[]> r, byte[] key) {
        return r.key() != null && java.util.Arrays.equals(r.key(), key);
    }

    /** The sequence number a record's header claims, or -1 when it has none or it is not a number. */
    static long headerSequence(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(SEQUENCE_HEADER);
        if (h == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String location(ConsumerRecord<?, ?> r) {
        return "partition " + r.partition() + " offset " + r.offset();
    }

    /**
     * Reads one partition from {@code from} up to the end offset it has when called, handing each record to
     * {@code each}; returns the end offset. Waits at most {@code timeout} between records.
     */
    static long readRange(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from, long end,
                          Duration timeout, RecordHandler each) throws IOException {
        consumer.assign(Set.of(tp));
        consumer.seek(tp, from);
        while (consumer.position(tp, timeout) < end) {
            var batch = consumer.poll(timeout);
            if (batch.isEmpty() && consumer.position(tp, timeout) < end) {
                throw new IOException("no records from " + tp + " within " + timeout.toMillis() + " ms at offset "
                        + consumer.position(tp, timeout) + " (end " + end + ")");
            }
            for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                if (r.offset() >= end) {
                    return end;
                }
                if (!each.handle(r)) {
                    return end;
                }
            }
        }
        return end;
    }

    static long endOffset(KafkaConsumer<?, ?> consumer, TopicPartition tp, Duration timeout) {
        return consumer.endOffsets(Set.of(tp), timeout).get(tp);
    }

    static long beginningOffset(KafkaConsumer<?, ?> consumer, TopicPartition tp, Duration timeout) {
        return consumer.beginningOffsets(Set.of(tp), timeout).get(tp);
    }

    /** Handles one record; false stops the read. */
    interface RecordHandler {
        boolean handle(ConsumerRecord<byte[], byte[]> r) throws IOException;
    }
}
