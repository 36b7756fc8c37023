package dev.auditlog;

/** The interface through which an action reached the application. */
public enum Channel {
    /** A programmatic API call. */
    API,
    /** An interactive user interface. */
    UI,
    /** A command-line tool. */
    CLI,
    /** A scheduled or background job. */
    JOB,
    /** The system itself. */
    SYSTEM;
}
