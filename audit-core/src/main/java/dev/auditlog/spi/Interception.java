package dev.auditlog.spi;

import dev.auditlog.AuditEvent;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link AuditInterceptor} decided about an event before sealing: {@linkplain #proceed proceed} (with the
 * event as given or changed), {@linkplain #skip skip} it, or {@linkplain #veto veto} an intent. Immutable.
 */
public final class Interception {
    /** The kinds of decision. */
    public enum Kind {
        /** Record the event (as returned by {@link #event()}) and let the next interceptor decide too. */
        PROCEED,
        /** Do not record it: the receipt says so ({@code AuditReceipt.isSkipped()}); the interceptor counts it. */
        SKIP,
        /** Deny the intent: the decision is recorded with outcome DENIED and {@code guard} reports the rule. */
        VETO
    }

    private static final int MAX_REASON = 1000;

    private final Kind kind;
    private final AuditEvent event;
    private final String rule;
    private final String reason;

    private Interception(Kind kind, AuditEvent event, String rule, String reason) {
        this.kind = kind;
        this.event = event;
        this.rule = rule;
        this.reason = reason;
    }

    /** Record {@code event}: the one given to the interceptor, or a changed copy. */
    public static Interception proceed(AuditEvent event) {
        return new Interception(Kind.PROCEED, Objects.requireNonNull(event, "event"), null, null);
    }

    /**
     * Do not record the event. Honoured for {@link AuditInterceptor.Call#RECORD} only: intents and guarded outcomes
     * are always recorded.
     *
     * @param rule   what decided it, e.g. a policy rule id; 1-128 characters
     * @param reason why, for the caller's receipt; must not quote the event's data
     */
    public static Interception skip(String rule, String reason) {
        return new Interception(Kind.SKIP, null, checkRule(rule), checkReason(reason));
    }

    /**
     * Deny the intent. Honoured for {@link AuditInterceptor.Call#INTENT} only.
     *
     * @param rule   the denying rule's id, recorded as the outcome's reason code; 1-128 characters
     * @param reason why, recorded as the outcome's reason (cut at 1000 characters); must not hold secrets
     */
    public static Interception veto(String rule, String reason) {
        return new Interception(Kind.VETO, null, checkRule(rule), checkReason(reason));
    }

    /** The kind of decision. */
    public Kind kind() {
        return kind;
    }

    /** The event to record, for {@link Kind#PROCEED}. */
    public Optional<AuditEvent> event() {
        return Optional.ofNullable(event);
    }

    /** The rule that skipped or vetoed. */
    public Optional<String> rule() {
        return Optional.ofNullable(rule);
    }

    /** Why it skipped or vetoed. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    private static String checkRule(String rule) {
        Objects.requireNonNull(rule, "rule");
        if (rule.isEmpty() || rule.length() > 128) {
            throw new IllegalArgumentException("rule must be 1-128 characters, was " + rule.length());
        }
        return rule;
    }

    private static String checkReason(String reason) {
        Objects.requireNonNull(reason, "reason");
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
    }

    @Override
    public String toString() {
        return kind == Kind.PROCEED ? "PROCEED[" + event.action() + "]" : kind + "[" + rule + ": " + reason + "]";
    }
}
