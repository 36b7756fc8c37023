package dev.auditlog.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real KRaft cluster of separate JVMs: one controller and {@code n} brokers, each Kafka's own server main
 * ({@link KafkaNodeChild}) with a generated server.properties, so that a broker can be killed with SIGKILL
 * ({@link Process#destroyForcibly()}) and restarted on the same log directory. Child output goes to
 * {@code node-N.log} in the cluster's directory, which is removed on close.
 */
final class ProcessCluster implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final int CONTROLLER_ID = 3000;

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int controllerPort;
    private final int[] brokerPorts;
    private final Process[] brokers;
    private Process controller;

    private ProcessCluster(int brokerCount) throws IOException {
        this.dir = Files.createTempDirectory("auditlog-kafka-");
        this.controllerPort = freePort();
        this.brokerPorts = new int[brokerCount];
        for (int i = 0; i < brokerCount; i++) {
            brokerPorts[i] = freePort();
        }
        this.brokers = new Process[brokerCount];
    }

    /** Starts a controller and {@code brokerCount} brokers, and waits until every broker is registered. */
    static ProcessCluster start(int brokerCount) throws Exception {
        ProcessCluster c = new ProcessCluster(brokerCount);
        try {
            c.controller = c.launch(CONTROLLER_ID, c.controllerConfig());
            for (int i = 0; i < brokerCount; i++) {
                c.brokers[i] = c.launch(i, c.brokerConfig(i));
            }
            c.awaitBrokers(allOf(brokerCount));
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    private static Set<Integer> allOf(int n) {
        Set<Integer> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(i);
        }
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    String bootstrapServers() {
        StringBuilder b = new StringBuilder();
        for (int port : brokerPorts) {
            b.append(b.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
        }
        return b.toString();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private String common(int nodeId) {
        // A short broker session: the controller fences a killed broker (and shrinks its ISRs, so acks=all goes on
        // with the two left) within seconds instead of the default 9.
        return "node.id=" + nodeId + "\n"
                + "controller.quorum.voters=" + CONTROLLER_ID + "@127.0.0.1:" + controllerPort + "\n"
                + "controller.listener.names=CONTROLLER\n"
                + "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT\n"
                + "log.dirs=" + dir.resolve("data-" + nodeId) + "\n"
                + "broker.session.timeout.ms=4000\n"
                + "broker.heartbeat.interval.ms=500\n"
                + "num.network.threads=2\n"
                + "num.io.threads=2\n"
                + "background.threads=2\n"
                + "log.cleaner.enable=false\n";
    }

    private String controllerConfig() {
        return common(CONTROLLER_ID)
                + "process.roles=controller\n"
                + "listeners=CONTROLLER://127.0.0.1:" + controllerPort + "\n";
    }

    private String brokerConfig(int id) {
        int rf = Math.min(3, brokerPorts.length);
        return common(id)
                + "process.roles=broker\n"
                + "listeners=PLAINTEXT://127.0.0.1:" + brokerPorts[id] + "\n"
                + "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPorts[id] + "\n"
                + "inter.broker.listener.name=PLAINTEXT\n"
                + "offsets.topic.replication.factor=" + rf + "\n"
                + "offsets.topic.num.partitions=4\n"
                + "transaction.state.log.replication.factor=" + rf + "\n"
                + "transaction.state.log.min.isr=1\n"
                + "transaction.state.log.num.partitions=4\n"
                + "share.coordinator.state.topic.replication.factor=" + rf + "\n"
                + "group.initial.rebalance.delay.ms=0\n"
                + "auto.create.topics.enable=false\n"
                + "unclean.leader.election.enable=false\n"
                + "replica.lag.time.max.ms=10000\n";
    }

    private Process launch(int nodeId, String config) throws IOException {
        Path properties = dir.resolve("node-" + nodeId + ".properties");
        Files.writeString(properties, config, StandardCharsets.UTF_8);
        Path log = dir.resolve("node-" + nodeId + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                KafkaNodeChild.class.getName(), properties.toString(), clusterId)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** SIGKILL: the broker gets no chance to flush, close its logs or tell the controller. */
    void kill(int broker) throws InterruptedException {
        Process p = brokers[broker];
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("broker " + broker + " (pid " + p.pid() + ") did not die after SIGKILL");
        }
    }

    /** Starts a killed broker again on its log directory and waits until it is registered. */
    void restart(int broker) throws Exception {
        if (brokers[broker].isAlive()) {
            throw new IllegalStateException("broker " + broker + " is running");
        }
        brokers[broker] = launch(broker, brokerConfig(broker));
        awaitBrokers(allOf(brokerPorts.length));
    }

    /** Waits until exactly these brokers are registered and unfenced (their ids are also their indexes). */
    void awaitBrokers(Set<Integer> ids) throws Exception {
        try (Admin admin = admin()) {
            KafkaClusters.await(START_LIMIT, "brokers " + ids + " are up (logs in " + dir + ")", () -> {
                for (int i = 0; i < brokers.length; i++) {
                    if (ids.contains(i) && !brokers[i].isAlive()) {
                        throw new AssertionError("broker " + i + " exited with " + brokers[i].exitValue() + ":\n"
                                + tail(i));
                    }
                }
                if (!controller.isAlive()) {
                    throw new AssertionError("the controller exited:\n" + tail(CONTROLLER_ID));
                }
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return nodes.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new)).equals(ids);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    /** The last lines a node wrote, for a failure message. */
    String tail(int nodeId) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("node-" + nodeId + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>();
        for (Process b : brokers) {
            if (b != null) {
                all.add(b);
            }
        }
        if (controller != null) {
            all.add(controller);
        }
        all.forEach(Process::destroyForcibly);
        for (Process p : all) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
