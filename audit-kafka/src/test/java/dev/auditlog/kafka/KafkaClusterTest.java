package dev.auditlog.kafka;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.SealedRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.auditlog.kafka.KafkaClusters.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One three-broker KRaft cluster (plus a controller), every node a JVM of its own, shared by the tests of this class:
 * topics with replication factor 3 and {@code min.insync.replicas=2}. Each test ends by checking the central store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaClusterTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private ProcessCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ProcessCluster.start(3);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    private String topic(String name, int partitions) throws Exception {
        try (Admin admin = cluster.admin()) {
            KafkaClusters.createTopic(admin, name, partitions, 3, 2);
        }
        return "kafka://" + cluster.bootstrapServers() + "/" + name;
    }

    private static String h2(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    private int leaderOf(String topic, String chainId, int partitions) throws Exception {
        int p = Clients.partitionOf(chainId, partitions);
        try (Admin admin = cluster.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().get(p).leader()
                    .id();
        }
    }

    /** Runs a collector on a thread of its own until closed. */
    private static Thread runInBackground(KafkaCollector collector, List<Throwable> errors) {
        Thread t = new Thread(() -> {
            try {
                collector.run();
            } catch (Throwable e) {
                errors.add(e);
            }
        }, "collector");
        t.start();
        return t;
    }

    private static KafkaCollector.Builder collector(String spec, String store, String id, List<CollectorAlert> alerts) {
        return KafkaCollector.builder(KafkaConnection.parse(spec), store).groupId("central")
                .collectorId(id).publicKey(Fleet.KEY.verifierKey()).pollTimeout(Duration.ofMillis(200))
                .alertListener(alerts::add);
    }

    /** One application node: a producer JVM of its own writing one chain, and what it reported. */
    private static final class Node {
        final Process process;
        final Set<Long> acked = new ConcurrentSkipListSet<>();
        final CountDownLatch flushed0 = new CountDownLatch(1);
        final CountDownLatch flushed2 = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final List<String> errors = new CopyOnWriteArrayList<>();
        volatile long produced;

        Node(Process process, AtomicLong ackCount) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("acked ")) {
                            acked.add(Long.parseLong(line.substring(6)));
                            ackCount.incrementAndGet();
                        } else if (line.equals("flushed 0")) {
                            flushed0.countDown();
                        } else if (line.equals("flushed 2")) {
                            flushed2.countDown();
                        } else if (line.startsWith("produced ")) {
                            produced = Long.parseLong(line.substring(9));
                        } else if (line.equals("done")) {
                            done.countDown();
                        } else if (line.startsWith("error ")) {
                            errors.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    errors.add("reading the producer's output: " + e);
                }
            }, "producer-output");
            reader.setDaemon(true);
            reader.start();
        }

        void go(int phase) throws java.io.IOException {
            process.getOutputStream().write(("go " + phase + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }
    }

    @Test
    void aBrokerKilledWithSigkillMidStreamFromFourProducersLosesNothingAndDuplicatesNothing(@TempDir Path dir)
            throws Exception {
        int partitions = 4;
        String spec = topic("failover", partitions) + "?delivery.timeout.ms=60000";
        int perPhase = 400;
        Map<String, Set<Long>> acked = new TreeMap<>();
        Map<String, Long> produced = new TreeMap<>();
        AtomicLong ackCount = new AtomicLong();
        long started = System.nanoTime();
        int victim = leaderOf("failover", "node-0", partitions);
        Set<Integer> survivors = new TreeSet<>(Set.of(0, 1, 2));
        survivors.remove(victim);
        Path key = dir.resolve("fleet.key");
        dev.auditlog.integrity.Ed25519Keys.writeSigningKey(key, Fleet.KEY);
        // Four phases per producer JVM: before the kill (flushed: acknowledged by all three); during the kill, while
        // the broker is dead but not yet fenced; once the controller fenced it (flushed: acknowledged by the two
        // left); during the restart.
        Map<String, Node> nodes = new TreeMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            for (int t = 0; t < 4; t++) {
                String chain = "node-" + t;
                nodes.put(chain, new Node(new ProcessBuilder(java, "-Xmx256m", "-Xshare:auto",
                        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        ProducerChild.class.getName(), spec, chain, Integer.toString(perPhase), key.toString())
                        .redirectError(dir.resolve(chain + ".err").toFile()).start(), ackCount));
            }
            for (Node n : nodes.values()) {
                assertThat(n.flushed0.await(3, TimeUnit.MINUTES)).as("phase 0 acknowledged; %s", n.errors).isTrue();
            }
            long atKill = ackCount.get();
            cluster.kill(victim); // SIGKILL, while the producers send their second phase
            cluster.awaitBrokers(survivors); // the controller fenced it: its session ran out
            long whenFenced = ackCount.get();
            for (Node n : nodes.values()) {
                n.go(2);
            }
            for (Node n : nodes.values()) {
                assertThat(n.flushed2.await(3, TimeUnit.MINUTES)).as("records acknowledged with the broker down; %s",
                        n.errors).isTrue();
            }
            long atRestart = ackCount.get();
            assertThat(atKill).as("acknowledged before the kill").isPositive();
            assertThat(atRestart).as("acknowledged by the two brokers left").isGreaterThan(whenFenced);
            for (Node n : nodes.values()) {
                n.go(3);
            }
            cluster.restart(victim);
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                Node n = e.getValue();
                assertThat(n.done.await(3, TimeUnit.MINUTES)).as("%s finished; %s", e.getKey(), n.errors).isTrue();
                assertThat(n.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                acked.put(e.getKey(), n.acked);
                produced.put(e.getKey(), n.produced);
            }
            System.out.printf("failover: broker %d killed (SIGKILL) after %d acknowledgements (%d once it was"
                    + " fenced), restarted after %d, %d at the end; %.1f s%n", victim, atKill, whenFenced, atRestart,
                    ackCount.get(), (System.nanoTime() - started) / 1e9);
        } finally {
            for (Node n : nodes.values()) {
                n.process.destroyForcibly();
                n.process.waitFor(30, TimeUnit.SECONDS);
            }
        }

        // Kafka itself holds every acknowledged record, and each chain verifies there.
        try (AuditReader reader = KafkaAuditReader.open(spec)) {
            for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
                VerificationReport report = LogVerifier.builder(Fleet.KEY.verifierKey()).build()
                        .verify(reader, e.getKey());
                assertThat(report.isValid()).as("%s in Kafka: %s", e.getKey(), report.findings()).isTrue();
                try (Stream<SealedRecord> s = reader.read(e.getKey(), 0)) {
                    assertThat(s.map(SealedRecord::sequence).toList()).containsAll(e.getValue());
                }
            }
        }

        String store = h2("failover");
        List<CollectorAlert> alerts = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        KafkaCollector c = collector(spec, store, "collector-failover", alerts).build();
        Thread t = runInBackground(c, errors);
        try {
            await(LIMIT, "the store holds every acknowledged record", () -> storeHolds(store, acked));
        } finally {
            c.close();
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(errors).isEmpty();
        assertThat(alerts).isEmpty();
        Fleet.checkStore("failover", store, produced, acked);
    }

    private static boolean storeHolds(String store, Map<String, Set<Long>> acked) {
        try {
            Map<String, Long> counts = Fleet.storedCounts(store, acked.keySet());
            for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
                long max = e.getValue().stream().mapToLong(Long::longValue).max().orElse(-1);
                if (counts.getOrDefault(e.getKey(), 0L) < max + 1) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Into files, and into PostgreSQL (required under CI=true, skipped with a message off CI without a server). */
    @ParameterizedTest(name = "into {0}")
    @ValueSource(strings = {"files", "PostgreSQL"})
    void aCollectorKilledWithSigkillMidDrainLosesNothingAndDuplicatesNothing(String into, @TempDir Path dir)
            throws Exception {
        try (CentralPostgres pg = into.equals("PostgreSQL") ? CentralPostgres.open() : null) {
            String store = pg == null ? "file:" + dir.resolve("central") : pg.spec();
            killCollectorMidDrain("drain-" + into.toLowerCase(java.util.Locale.ROOT), store);
        }
    }

    private void killCollectorMidDrain(String topic, String store) throws Exception {
        String spec = topic(topic, 4);
        Map<String, Set<Long>> acked = new TreeMap<>();
        Map<String, Long> produced = new TreeMap<>();
        for (int c = 0; c < 3; c++) {
            String chain = "app-" + c;
            acked.put(chain, Fleet.produce(spec, chain, 1000));
            produced.put(chain, 1000L);
        }
        // Small rounds, so that the kill lands in the middle of the drain; a short session, so that the group
        // gives the dead collector's partitions to the new one in seconds rather than the default 45.
        String childSpec = spec + "?max.poll.records=50&session.timeout.ms=6000&heartbeat.interval.ms=1000";
        Process first = child(childSpec, store, topic);
        long storedBeforeKill;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(),
                StandardCharsets.UTF_8))) {
            long stored = 0;
            String line;
            while (stored < 500 && (line = out.readLine()) != null) {
                if (line.startsWith("stored ")) {
                    stored = Long.parseLong(line.substring(7));
                }
            }
            storedBeforeKill = stored;
            first.destroyForcibly(); // SIGKILL
        } finally {
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(storedBeforeKill).as("records stored before the kill").isPositive();
        long total = acked.values().stream().mapToLong(Set::size).sum();
        assertThat(storedBeforeKill).as("the kill came mid-drain").isLessThan(total);

        Process second = child(childSpec, store, topic);
        try {
            await(LIMIT, "the restarted collector stored the rest", () -> storeHolds(store, acked));
        } finally {
            second.destroyForcibly();
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String where = store.startsWith("file:") ? "files" : "PostgreSQL";
        System.out.printf("collector kill -9 (into %s): stored %d records before the kill%n", where,
                storedBeforeKill);
        Fleet.checkStore("collector kill -9 (into " + where + ")", store, produced, acked);
    }

    /**
     * In place: one record changed, so the links break. Re-chained: the links recomputed after the change, as an
     * editor without the key would, so that only the signed checkpoint (its Merkle root and chain head) catches it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"in place", "re-chained"})
    void aCentralStoreEditedWhileNoCollectorRanIsFoundWhenTheChainIsResumed(String edit, @TempDir Path dir)
            throws Exception {
        boolean rechain = edit.equals("re-chained");
        String spec = topic(rechain ? "resume-rechained" : "resume", 2);
        String store = "file:" + dir.resolve("central");
        Map<String, Set<Long>> acked = new TreeMap<>();
        for (String chain : List.of("edited", "intact")) {
            acked.put(chain, new ConcurrentSkipListSet<>(Fleet.produce(spec, chain, 100)));
        }
        List<CollectorAlert> alerts = new CopyOnWriteArrayList<>();
        try (KafkaCollector first = collector(spec, store, "collector-resume-1", alerts).build()) {
            awaitPolling(first, "the first collector stored both chains", () -> storeHolds(store, acked));
        }
        long storedBeforeEdit = Fleet.storedCounts(store, Set.of("edited")).get("edited");
        // While no collector runs: one stored record of chain "edited" is changed, same length, valid layout.
        Path edited = null;
        try (Stream<Path> files = java.nio.file.Files.walk(dir.resolve("central"))) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String text = java.nio.file.Files.readString(f, StandardCharsets.ISO_8859_1);
                if (text.contains("edited-7\"")) {
                    String changed = text.replaceFirst("edited-7\"", "edited-X\"");
                    java.nio.file.Files.writeString(f, rechain ? rechain(changed) : changed,
                            StandardCharsets.ISO_8859_1);
                    edited = f;
                }
            }
        }
        assertThat(edited).as("a stored file holding record 7 of chain edited").isNotNull();
        for (String chain : List.of("edited", "intact")) {
            acked.get(chain).addAll(Fleet.produce(spec, chain, 100));
        }
        Map<String, Set<Long>> intact = Map.of("intact", acked.get("intact"));
        try (KafkaCollector second = collector(spec, store, "collector-resume-2", alerts).build()) {
            awaitPolling(second, "the edited chain raised an alert and the intact one was stored",
                    () -> storeHolds(store, intact) && !alerts.isEmpty());
            assertThat(second.stats().resumeChecks()).as("chains verified before resuming").isEqualTo(2);
        }
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(CollectorAlert.Kind.STORE_TAMPERED);
            assertThat(a.chainId()).isEqualTo("edited");
            assertThat(a.message()).contains("does not verify").contains("held")
                    .contains(rechain ? "CHECKPOINT_MISMATCH" : "CHAIN_MISMATCH");
        });
        assertThat(Fleet.storedCounts(store, Set.of("edited")).get("edited"))
                .as("nothing appended to the edited chain").isEqualTo(storedBeforeEdit);
        try (AuditReader reader = Fleet.reader(store); Stream<SealedRecord> own = reader.read("collector-resume-2", 0)) {
            assertThat(own.flatMap(r -> r.event().stream()).map(e -> e.action()).toList())
                    .contains("audit.collector.store_tampered");
        }
        Fleet.checkStore("resume after an edit " + edit + " (intact chain)", store, Map.of("intact", 200L), intact);
        System.out.printf("resume after an edit %s: %s%n", edit, alerts.get(0));
    }

    /** Recomputes every record's chain hash from its body, in file order, from the chain's genesis. */
    private static String rechain(String segment) {
        List<String> out = new ArrayList<>();
        byte[] chain = null;
        dev.auditlog.spi.ChainHasher hasher = new dev.auditlog.spi.ChainHasher();
        for (String line : segment.split("\n", -1)) {
            byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
            SealedRecord r;
            try {
                r = SealedRecord.parse(bytes);
            } catch (IllegalArgumentException notARecord) {
                out.add(line); // the segment's own header, or the end
                continue;
            }
            if (chain == null) {
                chain = dev.auditlog.spi.ChainHash.genesis(r.logId());
            }
            byte[] leaf = new byte[32];
            hasher.leaf(bytes, 0, r.bodyLength(), leaf);
            hasher.next(chain, leaf, chain);
            out.add(new String(bytes, 0, r.bodyLength(), StandardCharsets.ISO_8859_1) + ",\"chain\":\""
                    + java.util.HexFormat.of().formatHex(chain) + "\"}");
        }
        return String.join("\n", out);
    }

    /** Polls on the calling thread until the condition holds. */
    private static void awaitPolling(KafkaCollector c, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        try {
            await(LIMIT, what, () -> {
                try {
                    c.pollOnce();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return condition.getAsBoolean();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; collector " + c.stats(), e);
        }
    }

    private Process child(String spec, String store, String group) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CollectorChild.class.getName(), spec, store, group,
                "collector-drain", Fleet.KEY.verifierKey().encode())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void twoCollectorsInOneGroupShareTheTopicThroughRebalances() throws Exception {
        String spec = topic("shared", 4);
        Map<String, Set<Long>> acked = new TreeMap<>();
        Map<String, Long> produced = new TreeMap<>();
        // One chain in every partition, so that whichever partitions a collector gets, it has work.
        Set<Integer> covered = new java.util.HashSet<>();
        for (int c = 0; covered.size() < 4; c++) {
            if (covered.add(Clients.partitionOf("svc-" + c, 4))) {
                acked.put("svc-" + c, new ConcurrentSkipListSet<>());
                produced.put("svc-" + c, 0L);
            }
        }
        String store = h2("shared");
        List<CollectorAlert> alerts = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        // Every wave appends to each chain through a new log, which resumes the chain from Kafka.
        Runnable wave = () -> acked.forEach((chain, set) -> {
            set.addAll(Fleet.produce(spec, chain, 150));
            produced.merge(chain, 150L, Long::sum);
        });
        wave.run();
        KafkaCollector a = collector(spec, store, "collector-a", alerts).build();
        Thread ta = runInBackground(a, errors);
        await(LIMIT, "collector a stored records", () -> a.stats().stored() > 0);

        KafkaCollector b = collector(spec, store, "collector-b", alerts).build();
        Thread tb = runInBackground(b, errors);
        AtomicReference<Long> bAtJoin = new AtomicReference<>(b.stats().stored());
        wave.run();
        await(LIMIT, "both collectors stored the second wave", () -> storeHolds(store, acked)
                && b.stats().stored() > bAtJoin.get());
        long aStored = a.stats().stored();
        a.close(); // a leaves: b takes every partition
        ta.join(TimeUnit.SECONDS.toMillis(30));
        wave.run();
        await(LIMIT, "b stored the third wave alone", () -> storeHolds(store, acked));
        b.close();
        tb.join(TimeUnit.SECONDS.toMillis(30));
        System.out.printf("rebalance: collector a stored %d, b stored %d, redelivered a %d b %d%n", aStored,
                b.stats().stored(), a.stats().redelivered(), b.stats().redelivered());
        assertThat(aStored).isPositive();
        assertThat(b.stats().stored()).isPositive();
        assertThat(errors).isEmpty();
        assertThat(alerts).isEmpty();
        Fleet.checkStore("rebalance", store, produced, acked);
    }

    @Test
    void aGapOrATamperedRecordRaisesAnAlertThatIsRecordedAndHoldsOnlyThatChain() throws Exception {
        String spec = topic("evidence", 1);
        List<SealedRecord> good = new ArrayList<>();
        dev.auditlog.MemorySink memory = new dev.auditlog.MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId("victim").sink(memory).checkpoints(Fleet.KEY)
                .shutdownHook(false).build()) {
            for (int i = 0; i < 20; i++) {
                log.record(Fleet.event("victim", i));
            }
        }
        good.addAll(memory.records("victim"));
        Map<String, Set<Long>> acked = new TreeMap<>();
        acked.put("bystander", Fleet.produce(spec, "bystander", 50));
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                cluster.bootstrapServers(), "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SealedRecord r : good) {
                byte[] line = r.line();
                if (r.sequence() == 8 || r.sequence() == 9) {
                    continue; // deleted: a gap
                }
                raw.send(new ProducerRecord<>("evidence", 0, "victim".getBytes(StandardCharsets.UTF_8), line)).get();
            }
            byte[] edited = good.get(5).lineText().replace("victim-5", "victim-X").getBytes(StandardCharsets.UTF_8);
            raw.send(new ProducerRecord<>("evidence", 0, "tampered".getBytes(StandardCharsets.UTF_8),
                    good.get(0).line())).get(); // spliced into another chain
            raw.send(new ProducerRecord<>("evidence", 0, "victim".getBytes(StandardCharsets.UTF_8), edited)).get();
        }
        acked.get("bystander").addAll(Fleet.produce(spec, "bystander", 50));
        String store = h2("evidence");
        List<CollectorAlert> alerts = new CopyOnWriteArrayList<>();
        try (KafkaCollector c = collector(spec, store, "collector-evidence", alerts).build()) {
            await(LIMIT, "the collector consumed the topic", () -> {
                try {
                    c.pollOnce();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return storeHolds(store, acked) && alerts.size() >= 2;
            });
            assertThat(c.stats().heldBack()).isPositive();
        }
        assertThat(alerts).extracting(CollectorAlert::kind)
                .contains(CollectorAlert.Kind.GAP, CollectorAlert.Kind.TAMPERED);
        CollectorAlert gap = alerts.stream().filter(a -> a.kind() == CollectorAlert.Kind.GAP).findFirst().orElseThrow();
        assertThat(gap.chainId()).isEqualTo("victim");
        assertThat(gap.sequence()).isEqualTo(10);
        try (AuditReader reader = Fleet.reader(store); Stream<SealedRecord> victim = reader.read("victim", 0);
             Stream<SealedRecord> own = reader.read("collector-evidence", 0)) {
            assertThat(victim.map(SealedRecord::sequence).toList()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            List<String> recorded = own.flatMap(r -> r.event().stream()).map(e -> e.action()).toList();
            assertThat(recorded).contains("audit.collector.gap", "audit.collector.tampered");
        }
        Map<String, Long> produced = Map.of("bystander", 100L);
        Fleet.checkStore("alerts (bystander chain)", store, produced, acked);
        System.out.printf("alerts: %s%n", alerts);
    }
}
