package dev.auditlog.protect;

/** The guard's answer. */
public enum GuardVerdict {
    /** The action may proceed. */
    ALLOW,
    /** The action must not run. */
    DENY
}
