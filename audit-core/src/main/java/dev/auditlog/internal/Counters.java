package dev.auditlog.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The engine's counters that any thread may bump; {@code recorded} lives in {@link HandOff}, under its lock. */
final class Counters {
    final AtomicLong written = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
}
