package dev.auditlog;

/** What a log does with a {@link Sensitive#pii(String)} attribute value (see {@link Redaction}). */
public enum PiiAction {
    /** Keeps the configured prefix and suffix, replacing the rest by {@code ***} (default: 1 and 2 chars). */
    MASK,
    /** Replaces the value by its keyed HMAC-SHA256 (see {@link Redaction}). */
    HASH,
    /** Removes the attribute (or list element). */
    DROP
}
