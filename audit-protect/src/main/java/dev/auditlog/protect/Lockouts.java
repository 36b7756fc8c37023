package dev.auditlog.protect;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keys locked in the guard until a time. Thread-safe; expired entries are purged when the table grows past its cap. */
final class Lockouts {
    private static final int CAP = 100_000;
    private final ConcurrentHashMap<String, Instant> until = new ConcurrentHashMap<>();

    public void lock(String key, Instant lockedUntil, Instant now) {
        until.merge(key, lockedUntil, (a, b) -> a.isAfter(b) ? a : b);
        if (until.size() > CAP) {
            until.values().removeIf(t -> !t.isAfter(now));
        }
    }

    public Optional<Instant> lockedUntil(String key, Instant now) {
        Instant t = until.get(key);
        return t != null && t.isAfter(now) ? Optional.of(t) : Optional.empty();
    }

    public int size() {
        return until.size();
    }
}
