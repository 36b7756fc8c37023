package dev.auditlog.kafka;

import dev.auditlog.integrity.VerifierKey;

/**
 * A collector in a JVM of its own, for the kill -9 test: prints {@code stored N} after every round that stored
 * something. Arguments: kafka spec, store spec, group id, collector id, public key (encoded).
 */
public final class CollectorChild {
    private CollectorChild() {
    }

    public static void main(String[] args) throws Exception {
        try (KafkaCollector collector = KafkaCollector.builder(KafkaConnection.parse(args[0]), args[1])
                .groupId(args[2]).collectorId(args[3]).publicKey(VerifierKey.parse(args[4]))
                .alertListener(a -> System.out.println("alert " + a)).build()) {
            long reported = 0;
            while (true) {
                collector.pollOnce();
                long stored = collector.stats().stored();
                if (stored != reported) {
                    reported = stored;
                    System.out.println("stored " + stored);
                    System.out.flush();
                }
            }
        }
    }
}
