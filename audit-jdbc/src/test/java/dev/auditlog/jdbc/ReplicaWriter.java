package dev.auditlog.jdbc;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Delivery;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.integrity.Ed25519Keys;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One replica of an application, run as its own JVM by {@link AbstractReplicaProcessesTest}: the same configuration
 * as every other replica (JDBC URL, table prefix, log id, signing key), its own instance id. It records {@code count}
 * events with SYNC delivery, printing {@code acked <event id>} once each is durable, then either closes
 * ({@code exit}) or prints {@code holding} and waits to be killed ({@code hold}). A lease refused at start prints
 * the message on stderr and exits 2.
 *
 * <p>Arguments: url prefix logId instanceId count keyFile exit|hold
 */
public final class ReplicaWriter {
    private ReplicaWriter() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String url = args[0];
        String prefix = args[1];
        String logId = args[2];
        String instance = args[3];
        int count = Integer.parseInt(args[4]);
        Path key = Path.of(args[5]);
        boolean hold = args[6].equals("hold");
        AuditLog log;
        try {
            log = AuditLog.builder().logId(logId).instanceId(instance)
                    .sink(JdbcAuditSink.builder(url).tablePrefix(prefix).build())
                    .checkpoints(Ed25519Keys.readSigningKey(key))
                    .checkpointEvery(7, Duration.ofMinutes(10))
                    .delivery(Delivery.SYNC)
                    .shutdownHook(false)
                    .build();
        } catch (AuditException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        for (int i = 0; i < count; i++) {
            AuditEvent e = AuditEvent.builder()
                    .action("order.create").category(Category.DATA_CHANGE)
                    .actor(Actor.user("user-" + i)).target(Target.of("order", instance + "-" + i))
                    .outcome(Outcome.success())
                    .build();
            log.record(e); // SYNC: durable in the database when it returns
            System.out.println("acked " + e.eventId());
            System.out.flush();
        }
        if (hold) {
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // until killed: the test's kill -9, not a timing wait
        }
        log.close();
        System.out.println("closed");
    }
}
