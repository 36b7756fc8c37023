package dev.auditlog.protect;

import dev.auditlog.AuditEvent;

import java.time.Instant;
import java.util.Optional;

/** What a {@link GuardRule} sees: the (redacted) intent, the log's clock, and the guard's locks. */
public interface GuardContext {

    /** The action about to run, as it will be recorded. */
    AuditEvent event();

    /** Now, by the log's clock. */
    Instant now();

    /** Until when {@code key} (e.g. {@code actor:alice}) is locked, if it is locked now. */
    Optional<Instant> lockedUntil(String key);
}
