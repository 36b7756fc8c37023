package dev.auditlog.kafka;

/**
 * One Kafka KRaft node (controller or broker) in a JVM of its own, from the test class path: formats its log
 * directory on first start ({@code kafka-storage format}, a no-op once formatted, so a restart after kill -9 keeps
 * its data), then runs Kafka's own server main. Arguments: server.properties path, cluster id.
 */
public final class KafkaNodeChild {
    private KafkaNodeChild() {
    }

    public static void main(String[] args) throws Exception {
        int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", args[1], "-c", args[0],
                "--ignore-formatted"}, System.out);
        if (rc != 0) {
            System.err.println("kafka-storage format failed with " + rc);
            System.exit(rc);
        }
        kafka.Kafka.main(new String[] {args[0]});
    }
}
