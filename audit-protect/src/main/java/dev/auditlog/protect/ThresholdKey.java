package dev.auditlog.protect;

/** What a threshold rule counts by. */
public enum ThresholdKey {
    /** The actor id; alert key {@code actor:<id>}. */
    ACTOR,
    /** The origin IP; alert key {@code ip:<address>}; events without one are not counted. */
    SOURCE_IP
}
