package dev.auditlog.protect;

import java.time.Instant;

/** What an {@link AlertResponse} can do in the log. */
public interface ResponseContext {

    /**
     * Locks {@code key} (e.g. {@code actor:alice}, {@code ip:203.0.113.7}) in the guard until {@code until}, and
     * records it as {@code audit.guard.locked} naming {@code ruleId}.
     */
    void lock(String key, Instant until, String ruleId);
}
