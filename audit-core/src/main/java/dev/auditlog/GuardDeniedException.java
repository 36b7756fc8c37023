package dev.auditlog;

import java.util.Objects;

/** Thrown by {@code AuditLog.guarded(...)} when the guard denies the action; the action did not run. */
public final class GuardDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The decision; not serialised. */
    private final transient GuardDecision decision;

    /** An exception for a DENY decision. */
    public GuardDeniedException(GuardDecision decision) {
        super("denied by guard rule " + Objects.requireNonNull(decision, "decision").ruleId().orElse("?") + ": "
                + decision.reason().orElse("?"));
        this.decision = decision;
    }

    /** The decision. */
    public GuardDecision decision() {
        return decision;
    }
}
