package dev.auditlog;

/** The result of the audited action. */
public enum OutcomeStatus {
    /** The action completed. */
    SUCCESS,
    /** The action was attempted and failed. */
    FAILURE,
    /** The action was refused by an access-control decision. */
    DENIED,
    /** The action was accepted but its result is not yet known. */
    PENDING,
    /** The result could not be determined. */
    UNKNOWN;
}
