package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditListener;
import dev.auditlog.SinkFailure;
import dev.auditlog.SinkHealth;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.RecordRefusedException;
import dev.auditlog.spi.Scrubber;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

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
        SinkState.Release release = s.release;
        if (release != null) {
            s.release = null;
            release(s, release, backlog, sealedThrough);
        }
        while (!s.abandoned && s.nextSequence <= sealedThrough && config.ticker().read() - s.retryAtNanos >= 0) {
            // After a failure, one record at a time: a store that refuses one record's content names it that way.
            List<SealedRecord> batch = backlog.batchFrom(s.nextSequence, s.attempts > 0 ? 1 : config.maxBatchSize());
            try {
                write(s, batch);
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

    /** A sink write, during which callers lay out their own records (HandOff.writing). */
    private void write(SinkState s, List<SealedRecord> batch) throws java.io.IOException {
        handOff.writing(true);
        try {
            s.sink.write(batch);
        } finally {
            handOff.writing(false);
        }
    }

    private void failedAttempt(SinkState s, List<SealedRecord> batch, Exception e, boolean closing,
                               long sealedThrough) {
        long now = config.ticker().read();
        if (s.attempts == 0) {
            s.failingSinceNanos = now;
        }
        s.attempts++;
        s.failuresSinceRecovery++;
        long first = batch.get(0).sequence();
        long last = batch.get(batch.size() - 1).sequence();
        boolean exhausted = s.attempts >= config.maxAttempts();
        RecordRefusedException refused = RecordRefusedException.in(e);
        if (refused != null && refused.sequence() != first) {
            refused = null; // a later record: the retry, one record at a time, reaches it
        }
        s.refusal = refused == null ? null : reason(refused);
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
        s.lastError = e;
        if (exhausted && refused != null && !s.stuckReported) {
            s.stuckReported = true;
            s.lastWarnNanos = now;
            Engine.LOG.error("audit log {}: sink {} is stuck: its store refuses record {} ({}); failing its receipt and"
                    + " retrying every {}; the record is never skipped: resolve with AuditLog.storeUnindexed(\"{}\", {})",
                    config.chainId(), s.sink.name(), first, s.refusal, config.maxBackoff(), s.sink.name(), first);
            self.record(self.sinkStuck(s, batch.get(0), s.refusal, Duration.ofNanos(now - s.failingSinceNanos)));
            SinkHealth health = health(s, now);
            for (AuditListener l : config.listeners()) {
                try {
                    l.onSinkStuck(health);
                } catch (RuntimeException le) {
                    Engine.LOG.error("audit listener {} threw", l, le);
                }
            }
        } else if (exhausted && s.attempts == config.maxAttempts()) {
            s.lastWarnNanos = now;
            // Scrubbed text, not the exception: a stack trace would print a driver's message as it is.
            Engine.LOG.error("audit log {}: sink {} failed {} times on records {}..{}; failing their receipts and"
                    + " retrying every {}: {}", config.chainId(), s.sink.name(), s.attempts, first, last,
                    config.maxBackoff(), Scrubber.scrub(String.valueOf(e)));
            self.record(self.sinkFailed(s, e));
        } else if (exhausted && now - s.lastWarnNanos >= WARN_EVERY.toNanos()) {
            // Nothing goes quiet while a sink is behind: a WARN at least every minute while it lasts.
            s.lastWarnNanos = now;
            Engine.LOG.warn("audit log {}: sink {} still has not stored record {} after {} ({} attempts): {}",
                    config.chainId(), s.sink.name(), first, Duration.ofNanos(now - s.failingSinceNanos).withNanos(0),
                    s.attempts, s.refusal != null ? "its store refuses it (" + s.refusal + "); resolve with"
                            + " AuditLog.storeUnindexed(\"" + s.sink.name() + "\", " + first + ")"
                            : Scrubber.scrub(String.valueOf(e)));
        } else if (!exhausted) {
            Engine.LOG.warn("audit log {}: sink {} failed on records {}..{} (attempt {} of {}), retrying: {}",
                    config.chainId(), s.sink.name(), first, last, s.attempts, config.maxAttempts(),
                    Scrubber.scrub(String.valueOf(e)));
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
        s.refusal = null;
        s.stuckReported = false;
        s.failingSinceNanos = 0;
    }

    /** How often a sink that is behind is warned about. */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private static String reason(Throwable e) {
        String m = Scrubber.scrub(String.valueOf(e.getMessage()));
        return m.length() > 512 ? m.substring(0, 512) + "…" : m;
    }

    /** A sink's health now. */
    SinkHealth health(SinkState s, long now) {
        int attempts = s.attempts;
        long next = s.nextSequence;
        if (attempts == 0) {
            return new SinkHealth(s.sink.name(), SinkHealth.Status.OK, next - 1, 0, OptionalLong.empty(),
                    Duration.ZERO, Optional.empty());
        }
        String refusal = s.refusal;
        boolean exhausted = attempts >= config.maxAttempts();
        SinkHealth.Status status = !exhausted ? SinkHealth.Status.RETRYING
                : refusal != null ? SinkHealth.Status.STUCK : SinkHealth.Status.FAILING;
        Throwable last = s.lastError;
        String reason = refusal != null ? refusal : last == null ? "" : reason(last);
        return new SinkHealth(s.sink.name(), status, next - 1, attempts, OptionalLong.of(next),
                Duration.ofNanos(Math.max(0, now - s.failingSinceNanos)),
                reason.isEmpty() ? Optional.empty() : Optional.of(reason));
    }

    /**
     * An operator's {@code storeUnindexed}: the record the sink is stuck on from the backlog (or, for a sink that
     * passed it on, from the sink's own journal), stored through {@link dev.auditlog.spi.AuditSink#writeUnindexed}.
     */
    private void release(SinkState s, SinkState.Release r, Backlog backlog, long sealedThrough) {
        try {
            SealedRecord record;
            boolean atIt = s.nextSequence == r.sequence() && r.sequence() <= sealedThrough;
            if (atIt) {
                record = backlog.batchFrom(r.sequence(), 1).get(0);
            } else {
                if (r.sequence() >= s.nextSequence) {
                    throw new AuditException("sink " + s.sink.name() + " is at record " + s.nextSequence + ", not "
                            + r.sequence() + ": only the record a sink is stuck on can be stored unindexed");
                }
                record = fromJournal(s, r.sequence());
            }
            s.sink.writeUnindexed(record);
            Engine.LOG.warn("audit log {}: record {} stored unindexed in sink {} by an operator", config.chainId(),
                    r.sequence(), s.sink.name());
            self.record(self.storedUnindexed(s, record));
            if (atIt) {
                s.nextSequence = r.sequence() + 1;
                recovered(s);
            }
            r.done().complete(null);
        } catch (Exception e) {
            r.done().completeExceptionally(e instanceof AuditException ae ? ae : new AuditException("storing record "
                    + r.sequence() + " unindexed in sink " + s.sink.name() + " failed: " + reason(e)));
        }
    }

    private SealedRecord fromJournal(SinkState s, long sequence) throws IOException {
        AuditReader reader = s.sink.reader().orElseThrow(() -> new AuditException("sink " + s.sink.name()
                + " already took record " + sequence + " and cannot be read back"));
        try (Stream<SealedRecord> records = reader.read(config.chainId(), sequence)) {
            return records.findFirst().filter(x -> x.sequence() == sequence).orElseThrow(() -> new AuditException(
                    "record " + sequence + " is not in sink " + s.sink.name()));
        }
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
            Engine.LOG.error("audit log {}: flushing sink {} failed: {}", config.chainId(), s.sink.name(),
                    Scrubber.scrub(String.valueOf(e)));
            handOff.flushFailed();
        }
        s.flushedThrough = wanted;
    }

    /** Whether an operator's request waits for the dispatcher. */
    boolean releaseWanted() {
        for (SinkState s : states) {
            if (s.release != null) {
                return true;
            }
        }
        return false;
    }

    /** 0 when a sink has due work; else the wait until the next retry; Long.MAX_VALUE when none is due. */
    long nanosUntilDue(long sealedThrough, long now) {
        long wait = releaseWanted() ? 0 : Long.MAX_VALUE;
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
                Throwable last = s.lastError;
                if (s.refusal != null) {
                    b.append(" (its store refuses record ").append(s.nextSequence).append(": ").append(s.refusal)
                            .append(')');
                } else if (last != null) {
                    b.append(" (").append(Scrubber.scrub(String.valueOf(last))).append(')');
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
                String error = Scrubber.scrub(String.valueOf(e));
                Engine.LOG.error("audit log {}: closing sink {} failed: {}", config.chainId(), s.sink.name(), error);
                errors.add(s.sink.name() + ": " + error);
            }
        }
        return errors;
    }

    void forEach(Consumer<SinkState> action) {
        states.forEach(action);
    }
}
