package dev.auditlog.kafka;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Category;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSinkProvider;
import dev.auditlog.spi.SealedRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Application nodes writing chains to Kafka, and the end-of-test check of the central store. */
final class Fleet {
    static final SigningKey KEY = Ed25519Keys.generate("fleet");

    private Fleet() {
    }

    static AuditEvent event(String node, long i) {
        return AuditEvent.builder().action("document.read").category(Category.DATA_ACCESS)
                .actor(Actor.user("user-" + (i % 17))).target(Target.of("document", node + "-" + i))
                .origin(Origin.builder().ip("198.51.100." + (1 + i % 200)).build())
                .outcome(Outcome.success()).attribute("i", i).build();
    }

    static AuditLog.Builder log(String spec, String chainId) {
        return log(spec, chainId, KEY);
    }

    static AuditLog.Builder log(String spec, String chainId, SigningKey key) {
        return AuditLog.builder().singleChain().logId(chainId).sink(KafkaAuditSink.of(spec)).checkpoints(key)
                .checkpointEvery(500, Duration.ofSeconds(5)).shutdownHook(false)
                .retry(20, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    /** A chain of {@code count} events (plus the log's own records); returns the acknowledged sequence numbers. */
    static Set<Long> produce(String spec, String chainId, int count) {
        Set<Long> acked = new ConcurrentSkipListSet<>();
        try (AuditLog log = log(spec, chainId).build()) {
            for (int i = 0; i < count; i++) {
                AuditReceipt r = log.record(event(chainId, i));
                long seq = r.sequence();
                r.durable().thenRun(() -> acked.add(seq));
            }
            log.flush();
        }
        return acked;
    }

    static AuditReader reader(String storeSpec) {
        for (AuditSinkProvider p : ServiceLoader.load(AuditSinkProvider.class)) {
            if (storeSpec.startsWith(p.scheme() + ":")) {
                return p.reader(storeSpec).orElseThrow();
            }
        }
        throw new AssertionError("no provider for " + storeSpec);
    }

    /** Records stored per chain. */
    static Map<String, Long> storedCounts(String storeSpec, Set<String> chains) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (AuditReader reader = reader(storeSpec)) {
            Set<String> present = reader.chainIds();
            for (String chain : chains) {
                if (!present.contains(chain)) {
                    out.put(chain, 0L);
                    continue;
                }
                try (Stream<SealedRecord> s = reader.read(chain, 0)) {
                    out.put(chain, s.count());
                }
            }
        }
        return out;
    }

    /**
     * The end of every test: each acknowledged record is in the central store exactly once, each chain verifies
     * under the key; prints the counts.
     */
    static void checkStore(String test, String storeSpec, Map<String, Long> produced, Map<String, Set<Long>> acked)
            throws Exception {
        long stored = 0;
        long duplicates = 0;
        long gaps = 0;
        long ackedCount = 0;
        long missing = 0;
        List<String> problems = new ArrayList<>();
        try (AuditReader reader = reader(storeSpec)) {
            for (Map.Entry<String, Set<Long>> e : acked.entrySet()) {
                String chain = e.getKey();
                List<Long> sequences;
                try (Stream<SealedRecord> s = reader.read(chain, 0)) {
                    sequences = s.map(SealedRecord::sequence).toList();
                }
                Set<Long> distinct = new TreeSet<>(sequences);
                stored += sequences.size();
                duplicates += sequences.size() - distinct.size();
                long max = distinct.isEmpty() ? -1 : ((TreeSet<Long>) distinct).last();
                gaps += (max + 1) - distinct.size();
                ackedCount += e.getValue().size();
                Set<Long> lost = new TreeSet<>(e.getValue());
                lost.removeAll(distinct);
                missing += lost.size();
                if (!lost.isEmpty()) {
                    problems.add(chain + " lost acknowledged records " + lost);
                }
                VerificationReport report = LogVerifier.builder(KEY.verifierKey()).build().verify(reader, chain);
                if (!report.isValid()) {
                    problems.add(chain + " does not verify: " + report.findings());
                }
            }
        }
        System.out.printf("%s: events produced %d, acknowledged %d; records stored %d (with the logs' own start, stop"
                + " and checkpoint records), duplicates %d, gaps %d, acknowledged but lost %d%n", test,
                produced.values().stream().mapToLong(Long::longValue).sum(), ackedCount, stored, duplicates, gaps,
                missing);
        assertThat(problems).as(test).isEmpty();
        assertThat(duplicates).as("%s: duplicates", test).isZero();
        assertThat(gaps).as("%s: gaps", test).isZero();
        assertThat(ackedCount).as("%s: acknowledged records", test).isPositive();
    }
}
