package dev.auditlog.protect;

import java.util.Optional;

/**
 * A prevention rule consulted by {@code AuditLog.guard(event)} on the caller's thread, before the action runs.
 * Rules are asked in order; the first denial wins. Implementations must be thread-safe and quick.
 */
public interface GuardRule {

    /** The rule id (see {@link PolicyRule#ID_REGEX}); a DENY names it. */
    String id();

    /** A reason to deny, or empty to let the next rule decide. The reason is recorded: do not put secrets in it. */
    Optional<String> check(GuardContext context);
}
