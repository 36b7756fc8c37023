package dev.auditlog.internal;

import dev.auditlog.Ticker;

/**
 * How the idle dispatcher waits, and so whether a caller must wake it. Waking a parked thread costs the caller a
 * system call and, on a virtual machine, about 10 µs: more than the rest of {@code record()}. So, as LMAX
 * Disruptor's sleeping and lite-blocking strategies do, the dispatcher does not ask to be signalled while it has
 * been busy recently: for {@link #SLEEP_AFTER_NANOS} after its last record it only naps, {@link #NAP_NANOS} at a time,
 * and picks up whatever was queued meanwhile on its own. An ASYNC record waits at most one nap longer before it is
 * sealed; a quiet log costs a few hundred short wake-ups of the dispatcher and then none. Once it has been idle that
 * long it sleeps until signalled (or until its next timer), and the next caller signals it.
 *
 * <p>Callers that wait for the record ({@code Delivery.SYNC}, guard decisions, flush, close) always signal. Idle
 * time is read from the log's {@link Ticker}, so tests drive the switch to sleep by hand. Guarded by the
 * {@link HandOff} lock, like the rest of the hand-off state.
 */
final class WaitStrategy {
    /** The longest a queued ASYNC record waits for a dispatcher that is napping. */
    static final long NAP_NANOS = 500_000;
    /** How long the dispatcher naps after its last record before it sleeps until signalled. */
    static final long SLEEP_AFTER_NANOS = 50_000_000;

    private final Ticker ticker;
    private final long napNanos;
    private final long sleepAfterNanos;
    private long lastBusyNanos;
    private boolean asleep;
    private long signals;

    WaitStrategy(Ticker ticker) {
        this(ticker, NAP_NANOS, SLEEP_AFTER_NANOS);
    }

    WaitStrategy(Ticker ticker, long napNanos, long sleepAfterNanos) {
        if (napNanos <= 0 || sleepAfterNanos < 0) {
            throw new IllegalArgumentException("napNanos must be > 0 and sleepAfterNanos >= 0, were " + napNanos
                    + " and " + sleepAfterNanos);
        }
        this.ticker = ticker;
        this.napNanos = napNanos;
        this.sleepAfterNanos = sleepAfterNanos;
        this.lastBusyNanos = ticker.read();
    }

    /** The dispatcher took records now. */
    void busy() {
        lastBusyNanos = ticker.read();
        asleep = false;
    }

    /**
     * How long the dispatcher waits now, given that its next timer is due in {@code dueNanos} (Long.MAX_VALUE:
     * none): a nap while it was busy recently, else until the timer or a signal ({@link Long#MAX_VALUE}: only a
     * signal). In the second case callers must signal until it wakes.
     */
    long waitNanos(long dueNanos) {
        if (ticker.read() - lastBusyNanos < sleepAfterNanos) {
            asleep = false;
            return Math.min(dueNanos, napNanos);
        }
        asleep = true;
        return dueNanos;
    }

    /** The dispatcher woke (signalled, timed out or spuriously). */
    void awake() {
        asleep = false;
    }

    /**
     * Whether a caller that just queued a record must signal the dispatcher: when it asks for one ({@code urgent}:
     * the caller waits for the record) or when the dispatcher sleeps. Counts the signals.
     */
    boolean mustSignal(boolean urgent) {
        if (urgent || asleep) {
            asleep = false; // one signal is enough; the dispatcher takes everything queued when it wakes
            signals++;
            return true;
        }
        return false;
    }

    /** Signals callers sent for records so far (for tests). */
    long signals() {
        return signals;
    }
}
