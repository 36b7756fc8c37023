package dev.auditlog;

/** Broad classification of an audit event, used for routing, retention and reporting. Defaults to {@link #OTHER}. */
public enum Category {
    /** Logins, logouts, credential and token use. */
    AUTHENTICATION,
    /** Access-control decisions. */
    AUTHORIZATION,
    /** Creation, change or removal of accounts, roles and permissions. */
    ACCOUNT_CHANGE,
    /** Reads of protected data. */
    DATA_ACCESS,
    /** Creation, change or deletion of protected data. */
    DATA_CHANGE,
    /** Changes to application or security configuration. */
    CONFIGURATION,
    /** System lifecycle and health: startup, shutdown, crashes, monitoring. */
    SYSTEM,
    /** Access to the audit log itself (reads, exports, verification). */
    AUDIT_LOG_ACCESS,
    /** Anything else; the default. */
    OTHER;
}
