package dev.auditlog.integrity;

/**
 * Thrown when a Merkle inclusion or consistency proof does not verify. The message states the reason (bad
 * sizes, wrong proof length, malformed hash, root mismatch).
 */
public final class ProofException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given reason.
     *
     * @param message why the proof was rejected
     */
    public ProofException(String message) {
        super(message);
    }
}
