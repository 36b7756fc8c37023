package dev.auditlog.cli;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.SigningKey;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code auditlog collect}, and {@code verify}/{@code generate} on a {@code kafka://} store. */
class CollectTest {
    @TempDir
    Path tmp;

    private Path keys() throws Exception {
        SigningKey key = Ed25519Keys.generate("fleet");
        Ed25519Keys.writeSigningKey(tmp.resolve("fleet.key"), key);
        Ed25519Keys.writeVerifierKey(tmp.resolve("fleet.pub"), key.verifierKey());
        return tmp.resolve("fleet.pub");
    }

    @Test
    void badInputIsOneLineAndExitThree() throws Exception {
        Path pub = keys();
        assertThat(run("collect", "--to", "file:" + tmp, "--public-key", pub.toString()).errorLine())
                .contains("--from");
        assertThat(run("collect", "--from", "kafka://k1/audit", "--to", "file:" + tmp, "--public-key",
                pub.toString()).errorLine()).contains("host:port").contains("\"k1\"");
        assertThat(run("collect", "--from", "kafka://k1:9092/audit?acks=1", "--to", "file:" + tmp, "--public-key",
                pub.toString()).errorLine()).contains("acks cannot be set");
        assertThat(run("collect", "--from", "kafka://k1:9092/audit", "--to", "nosuch:x", "--public-key",
                pub.toString()).errorLine()).contains("no store for scheme \"nosuch\"");
        assertThat(run("collect", "--from", "kafka://k1:9092/audit", "--to", "file:" + tmp, "--public-key",
                tmp.resolve("missing.pub").toString()).errorLine()).contains("cannot read public key");
        assertThat(run("collect", "--from", "kafka://k1:9092/audit", "--to", "file:" + tmp, "--public-key",
                tmp.resolve("fleet.key").toString()).errorLine()).contains("is a private (signing) key");
        assertThat(run("collect", "--from", "kafka://k1:9092/audit", "--to", "file:" + tmp, "--public-key",
                pub.toString(), "--until-idle", "-1s").errorLine()).contains("--until-idle");
    }

    @Test
    void generateToKafkaCollectIntoFilesAndVerifyBoth() throws Exception {
        Path pub = keys();
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build();
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0").build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic("audit", 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            String kafka = "kafka://" + cluster.bootstrapServers() + "/audit";
            for (String node : new String[] {"node-a", "node-b"}) {
                Run gen = run("generate", "--store", kafka, "--log-id", node, "--private-key",
                        tmp.resolve("fleet.key").toString(), "--count", "300", "--checkpoint-every", "100");
                assertThat(gen.exit()).as(gen.err()).isZero();
            }
            Run inKafka = run("verify", kafka, "--public-key", pub.toString());
            assertThat(inKafka.exit()).as(inKafka.out() + inKafka.err()).isZero();
            assertThat(inKafka.out()).contains("node-a").contains("node-b");

            Path central = tmp.resolve("central");
            Run collect = run("collect", "--from", kafka, "--to", "file:" + central, "--public-key", pub.toString(),
                    "--collector-id", "collector-1", "--private-key", tmp.resolve("fleet.key").toString(),
                    "--until-idle", "3s");
            assertThat(collect.exit()).as(collect.out() + collect.err()).isZero();
            assertThat(collect.out()).contains("alerts 0");

            Run inStore = run("verify", "file:" + central, "--public-key", pub.toString(), "--log", "node-a");
            assertThat(inStore.exit()).as(inStore.out() + inStore.err()).isZero();
            Run tail = run("tail", "file:" + central, "--log", "node-b", "-n", "1");
            assertThat(tail.exit()).as(tail.err()).isZero();
            assertThat(tail.out()).contains("audit.log.stopped");
        }
    }
}
