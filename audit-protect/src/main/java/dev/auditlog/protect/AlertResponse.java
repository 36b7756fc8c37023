package dev.auditlog.protect;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Automated incident response carried by a detection rule ({@link DetectionRule#responses()}), run on the rules
 * thread after the alert is recorded.
 */
@FunctionalInterface
public interface AlertResponse {

    /** Responds to {@code alert}. */
    void respond(Alert alert, ResponseContext context);

    /**
     * Locks the alert's key in the log's guard for {@code period} from the alert's time: while locked,
     * {@link GuardRules#lockedOut()} denies actions by that actor ({@code actor:<id>}) or from that address
     * ({@code ip:<address>}). The lock is recorded as an {@code audit.guard.locked} record.
     *
     * @throws IllegalArgumentException unless the period is positive
     */
    static AlertResponse lockKey(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("lockKey.period must be positive, was " + period);
        }
        return (alert, ctx) -> ctx.lock(alert.key(), alert.firedAt().plus(period), alert.ruleId());
    }

    /** Calls {@code action} with the alert. */
    static AlertResponse call(Consumer<Alert> action) {
        Objects.requireNonNull(action, "action");
        return (alert, ctx) -> action.accept(alert);
    }
}
