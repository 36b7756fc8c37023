package dev.auditlog.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real KRaft clusters inside the test JVM, from Apache Kafka's own test kit. */
final class KafkaClusters {
    private KafkaClusters() {
    }

    /**
     * A started cluster of {@code brokers} brokers and one separate controller (so that a broker can be stopped without
     * touching the metadata quorum).
     */
    static KafkaClusterTestKit start(int brokers) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(brokers == 1).setNumBrokerNodes(brokers)
                .setNumControllerNodes(1).build();
        short rf = (short) Math.min(3, brokers);
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", Short.toString(rf))
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", Short.toString(rf))
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("log.flush.interval.messages", "9223372036854775807")
                .setConfigProp("num.network.threads", "2")
                .setConfigProp("num.io.threads", "2")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return kit;
    }

    static void createTopic(KafkaClusterTestKit kit, String topic, int partitions, int replicationFactor,
                            int minInsync) throws Exception {
        try (Admin admin = kit.admin()) {
            createTopic(admin, topic, partitions, replicationFactor, minInsync);
        }
    }

    static void createTopic(Admin admin, String topic, int partitions, int replicationFactor, int minInsync)
            throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) replicationFactor)
                .configs(Map.of("min.insync.replicas", Integer.toString(minInsync)))))
                .all().get(60, TimeUnit.SECONDS);
        await(Duration.ofSeconds(60), "topic " + topic + " has leaders for all partitions", () -> {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Waits for a condition, checking it every few milliseconds, up to a deadline. */
    static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting until " + what);
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(20); // polling interval of a bounded wait, not a timing assumption
        }
    }
}
