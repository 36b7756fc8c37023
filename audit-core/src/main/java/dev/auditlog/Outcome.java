package dev.auditlog;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of an audited action: a status plus an optional machine-readable reason code (e.g.
 * {@code invalid_password}) and an optional human-readable reason.
 *
 * <p>Immutable. Reason code and reason are non-empty, well-formed UTF-16; their lengths are checked against
 * {@link AuditLimits} ({@code maxIdLength}, {@code maxTextLength}) when the {@link AuditEvent} is built.
 */
public final class Outcome {

    private static final Outcome SUCCESS = new Outcome(OutcomeStatus.SUCCESS, null, null);

    private final OutcomeStatus status;
    private final String reasonCode;
    private final String reason;

    private Outcome(OutcomeStatus status, String reasonCode, String reason) {
        this.status = status;
        this.reasonCode = reasonCode;
        this.reason = reason;
    }

    /** Returns a {@link OutcomeStatus#SUCCESS} outcome without reason. */
    public static Outcome success() {
        return SUCCESS;
    }

    /** Returns a {@link OutcomeStatus#FAILURE} outcome with a reason code. */
    public static Outcome failure(String reasonCode) {
        return new Outcome(OutcomeStatus.FAILURE, code(reasonCode), null);
    }

    /** Returns a {@link OutcomeStatus#DENIED} outcome with a reason code. */
    public static Outcome denied(String reasonCode) {
        return new Outcome(OutcomeStatus.DENIED, code(reasonCode), null);
    }

    /** Returns an outcome with the given status and nothing else. */
    public static Outcome of(OutcomeStatus status) {
        return new Outcome(Validation.notNull(status, "status"), null, null);
    }

    /** Returns an outcome with a status and a reason code. */
    public static Outcome of(OutcomeStatus status, String reasonCode) {
        return new Outcome(Validation.notNull(status, "status"), code(reasonCode), null);
    }

    /** Returns an outcome with a status, a reason code and a human-readable reason. */
    public static Outcome of(OutcomeStatus status, String reasonCode, String reason) {
        return new Outcome(Validation.notNull(status, "status"), code(reasonCode),
                Validation.text("outcome.reason", Validation.notNull(reason, "reason")));
    }

    /**
     * Returns an outcome from optional parts, e.g. when copying or parsing.
     *
     * @throws NullPointerException if any argument (including an {@code Optional}) is null
     */
    public static Outcome of(OutcomeStatus status, Optional<String> reasonCode, Optional<String> reason) {
        Validation.notNull(status, "status");
        Validation.notNull(reasonCode, "reasonCode");
        Validation.notNull(reason, "reason");
        return new Outcome(status, reasonCode.map(Outcome::code).orElse(null),
                reason.map(r -> Validation.text("outcome.reason", r)).orElse(null));
    }

    private static String code(String reasonCode) {
        return Validation.text("outcome.reasonCode", Validation.notNull(reasonCode, "reasonCode"));
    }

    /** The result status. */
    public OutcomeStatus status() {
        return status;
    }

    /** A short machine-readable reason, e.g. {@code invalid_password}. */
    public Optional<String> reasonCode() {
        return Optional.ofNullable(reasonCode);
    }

    /** A human-readable explanation. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    // Without an Optional, for the checks every event's build makes (RecordSize, AuditEvent.Builder.build).
    String reasonCodeOrNull() {
        return reasonCode;
    }

    String reasonOrNull() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Outcome)) {
            return false;
        }
        Outcome other = (Outcome) o;
        return status == other.status && Objects.equals(reasonCode, other.reasonCode)
                && Objects.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reasonCode, reason);
    }

    @Override
    public String toString() {
        return "Outcome{status=" + status
                + (reasonCode == null ? "" : ", reasonCode=\"" + Validation.escape(reasonCode) + '"')
                + (reason == null ? "" : ", reason=\"" + Validation.escape(reason) + '"') + '}';
    }
}
