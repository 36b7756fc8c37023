package dev.auditlog.protect;

/** How much of an event a {@link RecordingPolicy} keeps. */
public enum RecordingLevel {
    /** Not recorded (counted in the next {@code audit.policy.sampled} summary). */
    NONE,
    /** Recorded without attributes and message. */
    METADATA,
    /** Recorded as given. */
    FULL
}
