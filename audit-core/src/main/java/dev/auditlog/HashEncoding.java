package dev.auditlog;

/** How a keyed hash is written into a record. */
public enum HashEncoding {
    /** {@code hmac-sha256:} followed by 64 lowercase hex digits (default). */
    HEX,
    /** {@code hmac-sha256-b64:} followed by standard base64 with padding (44 chars). */
    BASE64
}
