package dev.auditlog.kafka;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.tck.AuditSinkContractTest;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.util.concurrent.atomic.AtomicInteger;

/** The sink contract on a single-broker KRaft cluster; each test gets a topic of its own. */
class KafkaSinkContractTest extends AuditSinkContractTest {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static KafkaClusterTestKit cluster;
    private String spec;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaClusters.start(1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void freshTopic() throws Exception {
        String topic = "tck-" + TOPICS.incrementAndGet();
        KafkaClusters.createTopic(cluster, topic, 3, 1, 1);
        spec = "kafka://" + cluster.bootstrapServers() + "/" + topic;
    }

    /** Each batch waits for acks=all: fewer records keep the eight-thread test within seconds. */
    @Override
    protected int recordsPerProducer() {
        return 500;
    }

    @Override
    protected AuditSink openSink() {
        return KafkaAuditSink.of(spec);
    }

    @Override
    protected AuditReader openReader() {
        return KafkaAuditReader.open(spec);
    }
}
