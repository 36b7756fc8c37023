package dev.auditlog;

/** How urgently an audit event deserves attention, in increasing order. Defaults to {@link #INFO}. */
public enum Severity {
    /** Routine, expected activity; the default. */
    INFO,
    /** Normal but significant activity. */
    NOTICE,
    /** Suspicious or unusual activity. */
    WARNING,
    /** A failed operation that needs follow-up. */
    ERROR,
    /** A security incident or integrity problem needing immediate action. */
    CRITICAL;
}
