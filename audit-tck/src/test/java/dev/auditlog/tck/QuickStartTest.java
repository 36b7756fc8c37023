package dev.auditlog.tck;

import dev.auditlog.*;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's quick start, kept compiling and running. Keep the two in sync. */
class QuickStartTest {

    @Test
    void quickStart() {
        long sequence;
        // --- README quick start begins
        try (AuditLog log = AuditLog.builder()
                .logId("orders")
                .sink("memory:")                 // or "file:./audit", "jdbc:h2:file:./audit", or a sink object
                .build()) {

            AuditReceipt receipt = log.record(AuditEvent.builder()
                    .action(AuditActions.AUTHN_LOGIN_FAIL)
                    .category(Category.AUTHENTICATION)
                    .actor(Actor.user("alice"))
                    .target(Target.of("account", "alice"))
                    .outcome(Outcome.failure("bad_password"))
                    .origin(Origin.builder().ip("203.0.113.7").channel(Channel.UI).build())
                    .attribute("attempt", 3)
                    .build());

            receipt.await();                     // durable in every sink, or AuditException
            System.out.println("sealed as record " + receipt.sequence());
            // --- README quick start ends
            sequence = receipt.sequence();
        }
        assertThat(sequence).isEqualTo(1); // record 0 is the log's own audit.log.started
    }
}
