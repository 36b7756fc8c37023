package dev.auditlog.internal;

import dev.auditlog.AuditEvent;

/**
 * An interceptor that never skips or vetoes, only passes each event on, possibly changed: the log's redaction. The
 * engine calls {@link #rewrite} instead of its {@code beforeSeal}, which saves an {@code Interception} per event on
 * the caller's thread. {@code beforeSeal} must answer {@code proceed(rewrite(event))}.
 */
public interface EventRewriter {

    /** The event to go on with: {@code event} itself when there is nothing to change. */
    AuditEvent rewrite(AuditEvent event);
}
