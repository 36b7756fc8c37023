package dev.auditlog.protect;

/** What an {@link AlertListener} can ask of the log that fired the alert. */
public interface AlertContext {

    /** The log's id. */
    String logId();

    /**
     * Records an {@code audit.alert.delivery_failed} record: {@code listener} could not deliver the alert after
     * {@code attempts} attempts; {@code error} is a short error class or code (not a message that may quote data).
     */
    void deliveryFailed(Alert alert, String listener, int attempts, String error);
}
