package dev.auditlog;

/** The guard's answer. */
public enum GuardVerdict {
    /** The action may proceed. */
    ALLOW,
    /** The action must not run. */
    DENY
}
