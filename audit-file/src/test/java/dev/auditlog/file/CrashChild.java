package dev.auditlog.file;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Category;
import dev.auditlog.Outcome;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link CrashTest}: writes records through an {@link AuditLog} with a group-commit file sink
 * forever and prints {@code acked <seq>} whenever a receipt completes, until it is killed.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        PrintStream out = System.out;
        AuditLog log = AuditLog.builder().singleChain().logId(args[1]).shutdownHook(false)
                .sink(FileAuditSink.builder(dir).segmentSize(16 * 1024).build()).build();
        for (long i = 0; ; i++) {
            AuditReceipt r = log.record(AuditEvent.builder().action("crash.test").category(Category.SYSTEM)
                    .actor(Actor.system("child")).outcome(Outcome.success()).attribute("i", i).build());
            long seq = r.sequence();
            r.durable().thenRun(() -> {
                synchronized (out) {
                    out.println("acked " + seq);
                    out.flush();
                }
            });
        }
    }
}
