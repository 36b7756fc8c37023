package dev.auditlog.cli;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import dev.auditlog.Target;

/** Synthetic but realistic events for {@code generate} and {@code demo}. */
final class Events {
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin"};

    private Events() {
    }

    static AuditEvent synthetic(long i) {
        String user = USERS[(int) (i % USERS.length)];
        String ip = "198.51.100." + (1 + i % 200);
        return switch ((int) (i % 5)) {
            case 0 -> login(user, ip, true);
            case 1 -> read(user, ip, "document", "doc-" + (i % 97));
            case 2 -> AuditEvent.builder().action("document.update").category(Category.DATA_CHANGE)
                    .actor(Actor.user(user)).target(Target.of("document", "doc-" + (i % 97)))
                    .outcome(Outcome.success()).origin(origin(ip, Channel.API)).attribute("bytes", 100 + i % 900)
                    .build();
            case 3 -> read(user, ip, "invoice", "inv-" + (i % 31));
            default -> AuditEvent.builder().action(AuditActions.SESSION_CREATED).category(Category.AUTHENTICATION)
                    .actor(Actor.user(user)).target(Target.of("session", "s-" + Long.toHexString(i * 2654435761L)))
                    .outcome(Outcome.success()).origin(origin(ip, Channel.UI)).build();
        };
    }

    static AuditEvent login(String user, String ip, boolean ok) {
        return AuditEvent.builder()
                .action(ok ? AuditActions.AUTHN_LOGIN_SUCCESS : AuditActions.AUTHN_LOGIN_FAIL)
                .category(Category.AUTHENTICATION).severity(ok ? Severity.INFO : Severity.WARNING)
                .actor(Actor.user(user)).target(Target.of("account", user))
                .outcome(ok ? Outcome.success() : Outcome.failure("bad_password"))
                .origin(origin(ip, Channel.UI)).build();
    }

    static AuditEvent read(String user, String ip, String type, String id) {
        return AuditEvent.builder().action("document.read").category(Category.DATA_ACCESS)
                .actor(Actor.user(user)).target(Target.of(type, id)).outcome(Outcome.success())
                .origin(origin(ip, Channel.API)).build();
    }

    static Origin origin(String ip, Channel channel) {
        return Origin.builder().ip(ip).channel(channel).build();
    }
}
