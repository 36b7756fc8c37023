package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditListener;
import dev.auditlog.SinkFailure;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivery to every sink, with bounded exponential retry per sink. Dispatcher thread only, except
 * {@link #wantFlush} and {@link #flushPending}, which flush() calls under the hand-off lock.
 */
final class Sinks {
    private final EngineConfig config;
    private final List<SinkState> states;
    private final Counters counters;
    private final SelfRecords self;
    private final HandOff handOff;

    Sinks(EngineConfig config, List<SinkState> states, Counters counters, SelfRecords self, HandOff handOff) {
        this.config = config;
        this.states = states;
        this.counters = counters;
        this.self = self;
        this.handOff = handOff;
    }

    List<SinkState> states() {
        return states;
    }

    /** Writes every batch a sink is due, from the backlog; stops at a sink's first failure. */
    void writeDue(Backlog backlog, long sealedThrough, boolean closing, Runnable checkpointWanted) {
        for (SinkState s : states) {
            writeDue(s, backlog, sealedThrough, closing, checkpointWanted);
            flushIfWanted(s);
        }
    }

    private void writeDue(SinkState s, Backlog backlog, long sealedThrough, boolean closing,
                          Runnable checkpointWanted) {
        while (!s.abandoned && s.nextSequence <= sealedThrough && config.ticker().read() - s.retryAtNanos >= 0) {
            List<SealedRecord> batch = backlog.batchFrom(s.nextSequence, config.maxBatchSize());
            try {
                s.sink.write(batch);
                s.nextSequence = batch.get(batch.size() - 1).sequence() + 1;
                if (s.attempts > 0) {
                    recovered(s);
                }
            } catch (Exception e) {
                failedAttempt(s, batch, e, closing, sealedThrough);
                recordNotices(s);
                return;
            }
            recordNotices(s);
            if (s.sink.wantsCheckpoint()) {
                checkpointWanted.run(); // a checkpoint at every segment close
            }
        }
    }

    private void failedAttempt(SinkState s, List<SealedRecord> batch, Exception e, boolean closing,
                               long sealedThrough) {
        s.attempts++;
        s.failuresSinceRecovery++;
        long first = batch.get(0).sequence();
        long last = batch.get(batch.size() - 1).sequence();
        boolean exhausted = s.attempts >= config.maxAttempts();
        if (!exhausted) {
            counters.retried.incrementAndGet();
        }
        long backoff = exhausted ? config.maxBackoff().toNanos()
                : Math.min(config.maxBackoff().toNanos(),
                config.initialBackoff().toNanos() << Math.min(30, s.attempts - 1));
        s.retryAtNanos = config.ticker().read() + backoff;
        if (exhausted) {
            // Nothing sealed so far can reach this sink before the failed batch does: fail those receipts now.
            // Records sealed later wait for the next attempt.
            s.failedThrough = sealedThrough;
        }
        if (exhausted && s.attempts == config.maxAttempts()) {
            s.lastError = e;
            Engine.LOG.error("audit log {}: sink {} failed {} times on records {}..{}; failing their receipts and"
                    + " retrying every {}", config.chainId(), s.sink.name(), s.attempts, first, last,
                    config.maxBackoff(), e);
            self.record(self.sinkFailed(s, e));
        } else if (!exhausted) {
            Engine.LOG.warn("audit log {}: sink {} failed on records {}..{} (attempt {} of {}), retrying: {}",
                    config.chainId(), s.sink.name(), first, last, s.attempts, config.maxAttempts(), e.toString());
        }
        if (exhausted && closing) {
            s.abandoned = true;
            Engine.LOG.error("audit log {}: closing; sink {} abandoned with records from {} unwritten",
                    config.chainId(), s.sink.name(), s.nextSequence);
        }
        SinkFailure failure = new SinkFailure(s.sink.name(), first, last, s.attempts, exhausted, e);
        for (AuditListener l : config.listeners()) {
            try {
                l.onSinkFailure(failure);
            } catch (RuntimeException le) {
                Engine.LOG.error("audit listener {} threw", l, le);
            }
        }
    }

    private void recovered(SinkState s) {
        if (s.attempts >= config.maxAttempts()) {
            Engine.LOG.warn("audit log {}: sink {} recovered after {} failed attempts", config.chainId(),
                    s.sink.name(), s.failuresSinceRecovery);
            self.record(self.sinkRecovered(s));
        }
        s.attempts = 0;
        s.failedThrough = -1;
        s.failuresSinceRecovery = 0;
        s.retryAtNanos = 0;
        s.lastError = null;
    }

    /** Records the events a sink asks the log to record (what happened to its storage). */
    void recordNotices(SinkState s) {
        List<AuditEvent> notices;
        try {
            notices = s.sink.takeNotices();
        } catch (RuntimeException e) {
            Engine.LOG.error("audit log {}: sink {} failed to hand over its notices", config.chainId(), s.sink.name(),
                    e);
            return;
        }
        for (AuditEvent notice : notices) {
            self.record(notice);
        }
    }

    /** Flushes a sink once it has written everything a flush() caller waits for. */
    private void flushIfWanted(SinkState s) {
        long wanted = s.flushWanted;
        if (wanted <= s.flushedThrough || s.nextSequence <= wanted) {
            return;
        }
        try {
            s.sink.flush();
        } catch (IOException | RuntimeException e) {
            Engine.LOG.error("audit log {}: flushing sink {} failed", config.chainId(), s.sink.name(), e);
            handOff.flushFailed();
        }
        s.flushedThrough = wanted;
    }

    /** 0 when a sink has due work; else the wait until the next retry; Long.MAX_VALUE when none is due. */
    long nanosUntilDue(long sealedThrough, long now) {
        long wait = Long.MAX_VALUE;
        for (SinkState s : states) {
            if (!s.abandoned && s.nextSequence <= sealedThrough) {
                wait = Math.min(wait, Math.max(0, s.retryAtNanos - now));
            }
            if (s.flushWanted > s.flushedThrough && s.nextSequence > s.flushWanted) {
                wait = 0;
            }
        }
        return wait;
    }

    /** The highest sequence every live sink stored. */
    long writtenThrough() {
        long through = Long.MAX_VALUE;
        for (SinkState s : states) {
            if (!s.abandoned) {
                through = Math.min(through, s.nextSequence - 1);
            }
        }
        return through;
    }

    boolean holdsBack(long seq) {
        for (SinkState s : states) {
            if (s.holdsBack(seq)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a live sink still has to write {@code seq}. */
    boolean stillNeeded(long seq) {
        for (SinkState s : states) {
            if (!s.abandoned && s.nextSequence <= seq) {
                return true;
            }
        }
        return false;
    }

    boolean anyAbandoned() {
        for (SinkState s : states) {
            if (s.abandoned) {
                return true;
            }
        }
        return false;
    }

    /** Which sinks hold {@code seq} back and why, for a failed receipt's message. */
    String downMessage(long seq) {
        StringBuilder b = new StringBuilder();
        for (SinkState s : states) {
            if (s.holdsBack(seq)) {
                b.append("sink ").append(s.sink.name()).append(" failed ").append(s.attempts).append(" times");
                if (s.lastError != null) {
                    b.append(" (").append(s.lastError).append(')');
                }
                b.append("; ");
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ flush(), under the hand-off lock

    void wantFlush(long target) {
        for (SinkState s : states) {
            s.flushWanted = Math.max(s.flushWanted, target);
        }
    }

    /** Whether a sink that can still take records has not yet flushed through {@code target}. */
    boolean flushPending(long target) {
        for (SinkState s : states) {
            if (!s.abandoned && s.flushedThrough < target && s.failedThrough < target) {
                return true;
            }
        }
        return false;
    }

    /** Closes every sink; returns the errors, each as "name: error". */
    List<String> closeAll() {
        List<String> errors = new ArrayList<>();
        for (SinkState s : states) {
            try {
                s.sink.close();
            } catch (IOException | RuntimeException e) {
                Engine.LOG.error("audit log {}: closing sink {} failed", config.chainId(), s.sink.name(), e);
                errors.add(s.sink.name() + ": " + e);
            }
        }
        return errors;
    }

    void forEach(Consumer<SinkState> action) {
        states.forEach(action);
    }
}
