package dev.auditlog;

/**
 * A source of nanoseconds for the log's timers and timeouts (checkpoint interval, retry backoff, scheduled
 * summaries, queue age). It is separate from the {@link java.time.Clock} that gives records their timestamps, so a
 * test can drive the timers by hand without sleeping, as Caffeine's {@code Ticker} does.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds since an arbitrary origin; only differences matter. Must never go backwards. */
    long read();

    /** The system ticker, {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
