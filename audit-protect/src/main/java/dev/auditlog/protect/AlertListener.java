package dev.auditlog.protect;

/**
 * Receives every alert after its {@code audit.alert} record is queued, on the log's rules thread. Must be quick
 * (hand slow work to another thread, as {@link WebhookAlertListener} does) and should not throw; an exception is
 * logged. A listener that is {@link AutoCloseable} is closed when the log closes. Built in:
 * {@link AlertListeners#slf4j()}, {@link WebhookAlertListener}.
 */
@FunctionalInterface
public interface AlertListener {

    /** An alert fired. */
    void onAlert(Alert alert, AlertContext context);
}
