package dev.auditlog;

/** What a log does with an attribute whose name looks like a secret (see {@link Redaction}). */
public enum SecretKeyAction {
    /** {@code record()} throws {@link IllegalArgumentException} naming the attribute and the rule (default). */
    REJECT,
    /** The value is replaced by {@value Redaction#REDACTED} and the path listed in the {@code redacted} attribute. */
    REDACT,
    /** The value is replaced by its keyed HMAC-SHA256 (see {@link Redaction}) and the path listed in {@code redacted}. */
    HASH
}
