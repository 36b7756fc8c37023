package dev.auditlog.cli;

import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.kafka.KafkaCollector;
import dev.auditlog.kafka.KafkaConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "collect", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog collect --from kafka://k1:9092,k2:9092/audit \\",
                "      --to jdbc:postgresql://db/audit --public-key fleet.pub \\",
                "      --collector-id collector-1",
                "  auditlog collect --from kafka://localhost:9092/audit --to file:/central \\",
                "      --public-key fleet.pub --until-idle 30s"},
        description = "Drain the chains a fleet wrote to a Kafka topic into a central store, byte for byte, verifying"
        + " each chain as it goes (links, gaps, checkpoint signatures). Offsets are committed only once the store holds"
        + " the records. Collectors with the same --group share the topic. A gap or tampered record is printed as an"
        + " alert and recorded in the collector's own log (--collector-id) in the store. Runs until interrupted, or"
        + " until idle for --until-idle. Exit 0 no alerts, 1 alerts raised, 3 usage or I/O error.")
final class CollectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "KAFKA", description = "The topic:"
            + " kafka://host:port[,host:port]/topic[?setting=value&...] (Kafka client settings such as"
            + " security.protocol).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "STORE", description = "The central store: file:DIR,"
            + " jdbc:URL, or <scheme>:... for any store module on the class path.")
    String to;

    @Option(names = "--public-key", required = true, paramLabel = "FILE", description = "The fleet's public key file"
            + " (pinned); repeat it for rotated keys.")
    List<Path> publicKeys;

    @Option(names = "--group", defaultValue = "auditlog-collector", description = "Consumer group shared by the"
            + " collectors of one topic (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--collector-id", defaultValue = "auditlog-collector", description = "Id of this collector's own"
            + " log in the store, where alerts are recorded; each collector of a group needs its own (default:"
            + " ${DEFAULT-VALUE}).")
    String collectorId;

    @Option(names = "--private-key", paramLabel = "FILE", description = "Signs checkpoints of the collector's own"
            + " log.")
    Path privateKey;

    @Option(names = "--until-idle", paramLabel = "DURATION", description = "Stop once no message arrived for this"
            + " long: 30s, 5m, or ISO-8601. Default: run until interrupted.")
    Duration untilIdle;

    @Override
    public Integer call() throws Exception {
        if (untilIdle != null && (untilIdle.isZero() || untilIdle.isNegative())) {
            throw new IllegalArgumentException("--until-idle must be positive, was " + untilIdle);
        }
        KafkaConnection source = KafkaConnection.parse(from);
        Stores.Store store = Stores.resolve(to);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaCollector.Builder b = KafkaCollector.builder(source, store.spec()).groupId(group)
                .collectorId(collectorId)
                .alertListener(a -> {
                    err.println("auditlog collect: alert: " + a);
                    err.flush();
                });
        List<VerifierKey> keys = new java.util.ArrayList<>();
        for (Path p : publicKeys) {
            keys.add(KeyFiles.publicKey(p));
        }
        b.publicKey(keys.get(0));
        keys.subList(1, keys.size()).forEach(b::alsoTrust);
        if (privateKey != null) {
            b.signingKey(KeyFiles.privateKey(privateKey));
        }
        CountDownLatch finished = new CountDownLatch(1);
        KafkaCollector collector = b.build();
        Thread hook = new Thread(() -> {
            collector.close();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "auditlog-collect-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        KafkaCollector.Stats stats;
        try {
            out.println("collecting " + source + " into " + store.display() + " as group " + group);
            out.flush();
            long lastMessage = System.nanoTime();
            long nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String lastFailure = "";
            while (true) {
                int n;
                try {
                    n = collector.pollOnce();
                } catch (IllegalStateException closed) {
                    break; // closed by the shutdown hook
                }
                long now = System.nanoTime();
                if (n > 0) {
                    lastMessage = now;
                }
                KafkaCollector.Stats s = collector.stats();
                if (!s.lastStoreFailure().equals(lastFailure)) {
                    lastFailure = s.lastStoreFailure();
                    err.println("auditlog collect: store " + store.display() + " failed, retrying: " + lastFailure);
                    err.flush();
                }
                if (now - nextReport >= 0) {
                    out.println(summary(s));
                    out.flush();
                    nextReport = now + Duration.ofSeconds(10).toNanos();
                }
                if (untilIdle != null && now - lastMessage >= untilIdle.toNanos()) {
                    break;
                }
            }
        } finally {
            stats = collector.stats();
            collector.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waited for this
            }
        }
        out.println(summary(stats));
        return stats.alerts() > 0 ? Main.INVALID : Main.VALID;
    }

    private static String summary(KafkaCollector.Stats s) {
        return "consumed " + s.consumed() + ", stored " + s.stored() + ", already stored " + s.redelivered()
                + ", alerts " + s.alerts() + ", held back " + s.heldBack() + ", store failures " + s.storeFailures();
    }
}
