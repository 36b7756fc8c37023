package dev.auditlog;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code AuditLog.guard(event)} decided, and the record of that decision. A DENY names the rule (or
 * {@value #UNRECORDED} when the decision could not be recorded: the guard fails closed) and the reason. Immutable.
 */
public final class GuardDecision {
    /** The rule id of a DENY given because the decision could not be recorded durably. */
    public static final String UNRECORDED = "guard.unrecorded";

    private final GuardVerdict verdict;
    private final String ruleId;
    private final String reason;
    private final String correlationId;
    private final long sequence;

    private GuardDecision(GuardVerdict verdict, String ruleId, String reason, String correlationId, long sequence) {
        this.verdict = verdict;
        this.ruleId = ruleId;
        this.reason = reason;
        this.correlationId = correlationId;
        this.sequence = sequence;
    }

    /** An ALLOW recorded as {@code sequence}. */
    public static GuardDecision allow(String correlationId, long sequence) {
        return new GuardDecision(GuardVerdict.ALLOW, null, null, Objects.requireNonNull(correlationId, "correlationId"),
                checkSequence(sequence));
    }

    /** A DENY by {@code ruleId}, recorded as {@code sequence} (or -1 when it could not be recorded). */
    public static GuardDecision deny(String ruleId, String reason, String correlationId, long sequence) {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(correlationId, "correlationId");
        if (sequence < -1) {
            throw new IllegalArgumentException("sequence must be >= -1, was " + sequence);
        }
        return new GuardDecision(GuardVerdict.DENY, ruleId, reason, correlationId, sequence);
    }

    private static long checkSequence(long s) {
        if (s < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + s);
        }
        return s;
    }

    /** ALLOW or DENY. */
    public GuardVerdict verdict() {
        return verdict;
    }

    /** Whether the action may proceed. */
    public boolean allowed() {
        return verdict == GuardVerdict.ALLOW;
    }

    /** The denying rule. */
    public Optional<String> ruleId() {
        return Optional.ofNullable(ruleId);
    }

    /** Why it was denied. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** The correlation id linking the decision and, with {@code guarded}, the outcome. */
    public String correlationId() {
        return correlationId;
    }

    /** The sequence number of the decision's record; empty when it could not be recorded. */
    public OptionalLong sequence() {
        return sequence < 0 ? OptionalLong.empty() : OptionalLong.of(sequence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuardDecision d && d.verdict == verdict && Objects.equals(d.ruleId, ruleId)
                && Objects.equals(d.reason, reason) && d.correlationId.equals(correlationId) && d.sequence == sequence;
    }

    @Override
    public int hashCode() {
        return Objects.hash(verdict, ruleId, reason, correlationId, sequence);
    }

    @Override
    public String toString() {
        return verdict == GuardVerdict.ALLOW ? "ALLOW[seq=" + sequence + ", correlationId=" + correlationId + "]"
                : "DENY[" + ruleId + ": " + reason + ", seq=" + sequence + ", correlationId=" + correlationId + "]";
    }
}
