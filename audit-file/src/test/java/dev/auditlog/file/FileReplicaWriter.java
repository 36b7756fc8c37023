package dev.auditlog.file;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Delivery;
import dev.auditlog.Outcome;
import dev.auditlog.Target;

import java.nio.file.Path;

/**
 * One replica writing to a shared audit directory, run as its own JVM by {@link FileReplicaProcessesTest}. Its
 * instance id comes from the system property {@code auditlog.instance}, as a deployment would set it. Prints
 * {@code acked <event id>} per durable record, then closes ({@code exit}) or prints {@code holding} and waits to be
 * killed ({@code hold}); a refused lease prints the message on stderr and exits 2.
 *
 * <p>Arguments: dir count exit|hold
 */
public final class FileReplicaWriter {
    private FileReplicaWriter() {
    }

    public static void main(String[] args) throws Exception {
        AuditLog log;
        try {
            log = AuditLog.builder().logId("orders").sink(FileAuditSink.builder(Path.of(args[0])).build())
                    .delivery(Delivery.SYNC).shutdownHook(false).build();
        } catch (AuditException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            AuditEvent e = AuditEvent.builder().action("order.create").category(Category.DATA_CHANGE)
                    .actor(Actor.user("u" + i)).target(Target.of("order", Integer.toString(i)))
                    .outcome(Outcome.success()).build();
            log.record(e);
            System.out.println("acked " + e.eventId());
            System.out.flush();
        }
        if (args[2].equals("hold")) {
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // until the test kills it
        }
        log.close();
    }
}
