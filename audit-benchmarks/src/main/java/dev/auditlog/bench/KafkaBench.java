package dev.auditlog.bench;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.kafka.KafkaAuditSink;
import dev.auditlog.kafka.KafkaCollector;
import dev.auditlog.kafka.KafkaConnection;
import dev.auditlog.spi.SealedRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 8: Kafka. One invocation writes one batch of {@code batch} sealed records and waits until all are
 * acknowledged; scores are batches/s (multiply by the batch size for records/s). {@link #kafkaAuditSink} is
 * {@code KafkaAuditSink.write}; {@link #rawProducer} is what an application would write by hand with the same
 * settings and the same bytes: a {@code KafkaProducer} (acks=all, idempotence, linger 5 ms, 256 KiB batches) sending
 * each line with the same key, partition and headers, then {@code flush} and the futures checked. Target: the sink
 * at 0.8x the raw producer or better.
 *
 * <p>{@link #collectorIntoStore} is the collector's throughput into a central store ({@code -p db=}, PostgreSQL by
 * default, in a schema of its own): before each invocation a fleet node's sink writes {@code batch} fresh records
 * (new event ids, sealed and chained, acknowledged by Kafka), outside the measurement; the invocation polls until the
 * collector has verified and stored them all and committed their offsets. The score is drains/s; the secondary
 * {@code records} result is records/s into the store. Records carry no checkpoints, so no signature is checked.
 *
 * <p>The broker is real, single, and in this JVM (Apache Kafka's KRaft test kit), started in the trial's setup: it
 * shares the CPU with the benchmark, so absolute figures are lower than against a remote cluster; the ratio is the
 * point.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KafkaBench {

    @State(Scope.Benchmark)
    public static class Broker {
        @Param({"100", "1000"})
        public int batch;

        KafkaClusterTestKit cluster;
        String topic = "bench";
        KafkaConnection connection;

        @Setup(Level.Trial)
        public void start() throws Exception {
            TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                    .setNumControllerNodes(1).build();
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            connection = KafkaConnection.parse("kafka://" + cluster.bootstrapServers() + "/" + topic);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            cluster.close();
        }
    }

    @State(Scope.Benchmark)
    public static class SinkState {
        KafkaAuditSink sink;
        RecordFactory factory;
        List<SealedRecord> next;
        long records;

        @Setup(Level.Trial)
        public void open(Broker broker) throws Exception {
            String chain = "bench-sink-" + System.nanoTime();
            factory = new RecordFactory(chain);
            sink = KafkaAuditSink.builder(broker.connection).build();
            if (sink.open(chain).isPresent()) {
                throw new IllegalStateException("a fresh chain has a head");
            }
        }

        @Setup(Level.Invocation)
        public void nextBatch(Broker broker) {
            next = factory.next(broker.batch);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            sink.close();
            if (records == 0) {
                throw new IllegalStateException("the sink wrote nothing");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class RawState {
        KafkaProducer<byte[], byte[]> producer;
        RecordFactory factory;
        List<SealedRecord> next;
        byte[] key;
        String topic;
        long acknowledged;

        @Setup(Level.Trial)
        public void open(Broker broker) {
            String chain = "bench-raw-" + System.nanoTime();
            factory = new RecordFactory(chain);
            key = chain.getBytes(StandardCharsets.UTF_8);
            topic = broker.topic;
            Map<String, Object> p = new HashMap<>();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.cluster.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Setup(Level.Invocation)
        public void nextBatch(Broker broker) {
            next = factory.next(broker.batch);
        }

        @TearDown(Level.Trial)
        public void close() {
            producer.close();
            if (acknowledged == 0) {
                throw new IllegalStateException("the raw producer sent nothing");
            }
        }
    }

    @Benchmark
    public void kafkaAuditSink(SinkState s) throws Exception {
        s.sink.write(s.next);
        s.records += s.next.size();
    }

    @Benchmark
    public void rawProducer(RawState s) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(s.next.size());
        for (SealedRecord r : s.next) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader("auditlog.chain", s.key));
            headers.add(new RecordHeader("auditlog.sequence",
                    Long.toString(r.sequence()).getBytes(StandardCharsets.US_ASCII)));
            acks.add(s.producer.send(new ProducerRecord<>(s.topic, 0, s.key, r.line(), headers)));
        }
        s.producer.flush();
        for (Future<RecordMetadata> f : acks) {
            f.get();
        }
        s.acknowledged += acks.size();
    }

    @State(Scope.Benchmark)
    public static class CollectorState {
        /** The central store; run.sh passes the reachable ones. */
        @Param({"postgresql"})
        public String db;

        KafkaAuditSink feeder;
        RecordFactory factory;
        KafkaCollector collector;
        int batch;
        /** The collector's stored count once this invocation's batch is in the store. */
        long target;
        String schema;

        @Setup(Level.Trial)
        public void open(Broker broker) throws Exception {
            batch = broker.batch;
            String chain = "bench-collect-" + System.nanoTime();
            factory = new RecordFactory(chain);
            feeder = KafkaAuditSink.builder(broker.connection).build();
            feeder.open(chain);
            String store = Databases.url(db);
            if (db.equals("postgresql")) {
                // A schema of its own: the collector writes with the default table prefix, dropped at the end.
                schema = "bench_kafka_" + Long.toHexString(System.nanoTime());
                try (Connection c = DriverManager.getConnection(store); Statement st = c.createStatement()) {
                    st.execute("CREATE SCHEMA " + schema);
                }
                store = store + "&currentSchema=" + schema;
            }
            KafkaConnection source = KafkaConnection.builder(broker.connection.bootstrapServers(), broker.topic)
                    .setting("max.poll.records", Integer.toString(broker.batch)).build();
            collector = KafkaCollector.builder(source, store).groupId("bench-" + System.nanoTime())
                    .collectorId("bench-collector-" + System.nanoTime())
                    .publicKey(Ed25519Keys.generate("bench").verifierKey()).pollTimeout(Duration.ofMillis(200))
                    .build();
            // The group join, the partition assignment and the chain's first open happen here, not in a measurement.
            produce();
            drain(collector, target);
        }

        /** The records a fleet node produced meanwhile: fresh events, sealed and acknowledged outside the measurement. */
        @Setup(Level.Invocation)
        public void produce() throws Exception {
            feeder.write(factory.next(batch));
            target += batch;
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            KafkaCollector.Stats stats = collector.stats();
            collector.close();
            feeder.close();
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(Databases.url(db)); Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
            // The last batch may have been produced for an invocation that never came.
            if (stats.alerts() != 0 || stats.stored() == 0 || stats.stored() + batch < target) {
                throw new IllegalStateException("collector stored " + stats.stored() + " of " + target + ": " + stats);
            }
        }
    }

    /** Records stored into the central store, reported by JMH as records/s next to the drains/s score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Collected {
        public long records;

        @Setup(Level.Iteration)
        public void reset() {
            records = 0;
        }
    }

    /** Polls until the collector's stored count reaches {@code target}; fails rather than spin on a held chain. */
    static long drain(KafkaCollector collector, long target) throws Exception {
        long before = collector.stats().stored();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (collector.stats().stored() < target) {
            collector.pollOnce();
            KafkaCollector.Stats stats = collector.stats();
            if (stats.alerts() != 0 || System.nanoTime() > deadline) {
                throw new IllegalStateException("collector stuck below " + target + ": " + stats);
            }
        }
        return collector.stats().stored() - before;
    }

    /**
     * One drain: the collector consumes the {@code batch} records produced before the call, verifies them, writes
     * them into the store and commits the offsets ({@code pollOnce} until they are all stored).
     */
    @Benchmark
    public void collectorIntoStore(CollectorState s, Collected c) throws Exception {
        c.records += drain(s.collector, s.target);
    }
}
