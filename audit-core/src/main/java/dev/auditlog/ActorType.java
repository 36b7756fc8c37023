package dev.auditlog;

/** What kind of principal performed an action. */
public enum ActorType {
    /** A human user. */
    USER,
    /** A non-human client such as another service or an API key. */
    SERVICE,
    /** The application itself (scheduled work, startup, internal housekeeping). */
    SYSTEM;
}
