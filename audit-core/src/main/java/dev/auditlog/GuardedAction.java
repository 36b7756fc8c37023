package dev.auditlog;

/**
 * The action {@code AuditLog.guarded(event, action)} runs when the guard allows it.
 *
 * @param <T> the result
 * @param <E> what it may throw
 */
@FunctionalInterface
public interface GuardedAction<T, E extends Exception> {

    /** Runs the action. */
    T run() throws E;
}
