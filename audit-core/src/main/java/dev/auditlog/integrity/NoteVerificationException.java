package dev.auditlog.integrity;

/**
 * Thrown when a signed note or checkpoint cannot be opened: it is malformed, it carries no signature by the
 * pinned key, a signature by the pinned key is invalid, or the checkpoint inside is invalid.
 */
public final class NoteVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a note was rejected. */
    public enum Reason {
        /** The note does not follow the signed-note format. */
        MALFORMED,
        /** No signature line carries the pinned key's name and key id ("unknown key"). */
        UNKNOWN_KEY,
        /** A signature line by the pinned key does not verify. */
        BAD_SIGNATURE,
        /** The note verified but its text is not a valid checkpoint, or not the expected origin. */
        INVALID_CHECKPOINT
    }

    /** The reason. */
    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason the reason category
     * @param message a human-readable explanation
     */
    public NoteVerificationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = Checks.notNull(reason, "reason");
    }

    /**
     * Creates an exception with a cause.
     *
     * @param reason the reason category
     * @param message a human-readable explanation
     * @param cause the underlying failure
     */
    public NoteVerificationException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Checks.notNull(reason, "reason");
    }

    /**
     * Returns the reason category.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
