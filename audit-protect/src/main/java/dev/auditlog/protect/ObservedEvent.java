package dev.auditlog.protect;

import dev.auditlog.AuditEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * A sealed event record as detection rules see it: its sequence number in the chain, when it happened (the event's
 * {@code occurredAt}, or the time the log filled in) and the event as recorded (already redacted and reduced by the
 * recording policy).
 *
 * @param sequence   the record's sequence number
 * @param occurredAt when the action happened
 * @param event      the recorded event
 */
public record ObservedEvent(long sequence, Instant occurredAt, AuditEvent event) {
    /** Checks the components. */
    public ObservedEvent {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(event, "event");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
    }
}
