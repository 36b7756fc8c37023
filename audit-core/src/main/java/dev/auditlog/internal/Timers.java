package dev.auditlog.internal;

import dev.auditlog.Ticker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Tasks the interceptors scheduled, run on the dispatcher thread by the log's {@link Ticker}. Any thread may
 * schedule; only the dispatcher runs them.
 */
final class Timers {
    private final Ticker ticker;
    private final String logId;
    private final ConcurrentLinkedQueue<Task> added = new ConcurrentLinkedQueue<>();
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task {
        final Supplier<Optional<Duration>> body;
        long dueNanos;

        Task(Supplier<Optional<Duration>> body, long dueNanos) {
            this.body = body;
            this.dueNanos = dueNanos;
        }
    }

    private Runnable wake = () -> { };

    Timers(Ticker ticker, String logId) {
        this.ticker = ticker;
        this.logId = logId;
    }

    /** What wakes the dispatcher when a task is added from another thread. */
    void onAdd(Runnable wake) {
        this.wake = wake;
    }

    void schedule(Duration delay, Supplier<Optional<Duration>> task) {
        added.add(new Task(task, ticker.read() + delay.toNanos()));
        wake.run();
    }

    /** Runs every task that is due; a task that throws is logged and not run again. */
    void runDue() {
        takeAdded();
        long now = ticker.read();
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            if (now - t.dueNanos < 0) {
                continue;
            }
            Optional<Duration> next;
            try {
                next = t.body.get();
            } catch (RuntimeException e) {
                Engine.LOG.error("audit log {}: a scheduled task failed and will not run again", logId, e);
                next = Optional.empty();
            }
            if (next.isPresent() && !next.get().isNegative()) {
                t.dueNanos = now + next.get().toNanos();
            } else {
                tasks.remove(i--);
            }
        }
    }

    /** The wait until the next task is due: 0 when one is, Long.MAX_VALUE when there is none. */
    long nanosUntilDue(long now) {
        takeAdded();
        long wait = Long.MAX_VALUE;
        for (Task t : tasks) {
            wait = Math.min(wait, Math.max(0, t.dueNanos - now));
        }
        return wait;
    }

    private void takeAdded() {
        Task t;
        while ((t = added.poll()) != null) {
            tasks.add(t);
        }
    }
}
