package dev.auditlog.tck;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Target;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Varied, valid events for contract tests: plain ones and ones full of characters that must be escaped. */
public final class TckEvents {
    private TckEvents() {
    }

    /** The {@code i}-th test event; deterministic in {@code i}. */
    public static AuditEvent event(int i) {
        AuditEvent.Builder b = AuditEvent.builder()
                .action(i % 3 == 0 ? AuditActions.AUTHN_LOGIN_FAIL : "document.read")
                .category(i % 3 == 0 ? Category.AUTHENTICATION : Category.DATA_ACCESS)
                .occurredAt(Instant.ofEpochSecond(1_790_000_000L + i, i % 1_000_000_000))
                .actor(Actor.user("user-" + (i % 17)))
                .target(Target.of("document", "doc-" + i))
                .outcome(i % 3 == 0 ? Outcome.failure("bad_password") : Outcome.success())
                .origin(Origin.builder().ip(i % 2 == 0 ? "192.0.2." + (i % 256) : "2001:db8::" + Integer.toHexString(i % 65536))
                        .channel(Channel.API).build())
                .attribute("index", i);
        if (i % 5 == 0) {
            b.message("line one\nline two\r\n\u2028\u2029 \"quoted\" \\ tab\t soh\u0001 é 日本 🎉 }\n{\"forged\":true}");
            b.attribute("nested", Map.of("list", List.of(1L, "two", true), "k", "v"));
        }
        return b.build();
    }
}
