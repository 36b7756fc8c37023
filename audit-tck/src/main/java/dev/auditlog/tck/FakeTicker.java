package dev.auditlog.tck;

import dev.auditlog.Ticker;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Ticker} tests move by hand, so that the log's timers (checkpoint interval, retry backoff, scheduled
 * summaries) fire exactly when a test says, without sleeping. Pass it to {@code AuditLog.Builder.ticker}; after
 * {@link #advance}, {@code AuditLog.flush()} runs whatever became due.
 */
public final class FakeTicker implements Ticker {
    private volatile long nanos;

    /** A ticker at 0. */
    public FakeTicker() {
    }

    /** Moves the ticker forward. */
    public void advance(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("a ticker never goes backwards: d must be >= 0, was " + d);
        }
        nanos += d.toNanos();
    }

    @Override
    public long read() {
        return nanos;
    }
}
