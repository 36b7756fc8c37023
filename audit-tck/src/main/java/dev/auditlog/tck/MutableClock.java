package dev.auditlog.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A UTC clock tests move by hand, so that time-based behaviour is tested at exact edges without sleeping. */
public final class MutableClock extends Clock {
    private volatile Instant now;

    /** A clock showing {@code now}. */
    public MutableClock(Instant now) {
        this.now = Objects.requireNonNull(now, "now");
    }

    /** A clock showing 2026-01-01T00:00:00Z. */
    public MutableClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration d) {
        now = now.plus(Objects.requireNonNull(d, "d"));
    }

    /** Sets the clock. */
    public void set(Instant t) {
        now = Objects.requireNonNull(t, "t");
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
