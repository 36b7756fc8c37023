package dev.auditlog;

/**
 * A record could not be accepted or stored: the queue was full under {@link OverflowPolicy#THROW} or
 * {@link OverflowPolicy#BLOCK_WITH_TIMEOUT}, or a sink failed after its retries. Unchecked, so that
 * {@code record()} stays cheap to call on request paths; in {@link Delivery#SYNC} mode callers that must not
 * proceed unaudited catch it and abort their action.
 */
public class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and why */
    public AuditException(String message) {
        super(message);
    }

    /**
     * @param message what failed and why
     * @param cause   the underlying failure
     */
    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
