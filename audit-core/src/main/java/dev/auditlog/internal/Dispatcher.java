package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.RecordSealer;
import dev.auditlog.spi.SealedRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The dispatcher thread: takes records from the {@link HandOff} in batches, seals them, lets the interceptors
 * observe them, runs the timers, writes to the {@link Sinks}, and resolves receipts. It owns the sealer, the
 * backlog, the sinks' states and the timers, so none of them needs a lock.
 */
final class Dispatcher implements Runnable {
    private final EngineConfig config;
    private final HandOff handOff;
    private final Sealer sealer;
    private final Backlog backlog;
    private final Sinks sinks;
    private final Checkpoints checkpoints;
    private final Timers timers;
    private final List<AuditInterceptor> observers;
    private final Counters counters;
    private volatile AuditException failure;
    /** Lays out the records of events the callers handed over as they were. */
    private final RecordSealer.Preparer preparer;

    Dispatcher(EngineConfig config, HandOff handOff, Sealer sealer, Backlog backlog, Sinks sinks,
               Checkpoints checkpoints, Timers timers, List<AuditInterceptor> observers, Counters counters) {
        this.config = config;
        this.handOff = handOff;
        this.sealer = sealer;
        this.backlog = backlog;
        this.sinks = sinks;
        this.checkpoints = checkpoints;
        this.timers = timers;
        this.observers = observers;
        this.counters = counters;
        this.preparer = new RecordSealer.Preparer(config.chainId());
    }

    Sinks sinks() {
        return sinks;
    }

    /** Why the dispatcher died, if it did. */
    AuditException failure() {
        return failure;
    }

    @Override
    public void run() {
        List<Pending> fresh = new ArrayList<>(config.maxBatchSize());
        try {
            boolean done = false;
            while (!done) {
                HandOff.Taken taken = handOff.take(fresh, config.maxBatchSize(), this::nanosUntilWork,
                        backlog::isEmpty);
                for (Pending p : fresh) {
                    seal(p);
                    handOff.sealedUpTo(p.sequence + 1);
                }
                fresh.clear();
                if (!taken.closing()) {
                    checkpoints.maybeQueueByTime();
                    timers.runDue();
                }
                if (taken.timerPassWanted()) {
                    handOff.timerPassDone(); // whatever the timers queued is now in the queue, before the flush
                }
                sinks.writeDue(backlog, sealedThrough(), taken.closing(), checkpoints::want);
                Backlog.Resolution r = backlog.resolve(sinks, sealedThrough(), checkpoints::anchor);
                if (taken.closing()) {
                    checkpoints.awaitAnchored(); // an anchor's failure is recorded before the log stops
                }
                handOff.resolved(r.trimmed(), r.newlyFailed(), r.resolvedThrough(), backlog.isEmpty(), backlog.oldestNanos());
                done = handOff.drained(backlog.isEmpty());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            Engine.LOG.error("audit log {}: dispatcher failed", config.chainId(), t);
            failure = new AuditException("audit log \"" + config.chainId() + "\" dispatcher failed: " + t, t);
        } finally {
            shutDown();
        }
    }

    private void seal(Pending p) {
        if (p instanceof Pending.Signed signed) {
            sealSigned(signed);
        } else {
            AuditEvent event = p.event;
            RecordSealer.Body body = p.awaitPrepared();
            if (body == null && p.payload == null) {
                body = layOut(p);
            }
            p.record = body != null ? sealer.link(body) : sealer.seal(p.sequence, SealedRecord.TYPE_EVENT, p.payload);
            p.payload = null;
            if (event != null && !observers.isEmpty()) {
                Instant occurredAt = p.occurredAt();
                for (AuditInterceptor i : observers) {
                    try {
                        i.afterSeal(p.sequence, occurredAt, event);
                    } catch (RuntimeException e) {
                        Engine.LOG.error("audit log {}: interceptor {} failed observing record {}", config.chainId(),
                                i.name(), p.sequence, e);
                    }
                }
            }
            p.event = null;
            p.traceIds = null;
        }
        backlog.add(p);
    }

    private void sealSigned(Pending.Signed p) {
        if (p.isCheckpoint()) {
            String[] note = new String[1];
            p.record = sealer.sealCheckpoint(p.sequence, config.checkpointKey().orElseThrow(),
                    config.clock().instant(), note);
            p.note = note[0];
            checkpoints.sealed();
        } else if (SealedRecord.TYPE_KEY.equals(p.type())) {
            p.record = sealer.sealKeyRotation(p.sequence, config.rotateKeyFrom().orElseThrow(),
                    config.checkpointKey().orElseThrow(), config.clock().instant());
        } else {
            try {
                p.record = sealer.sealRetention(p.sequence, p.cut, config.checkpointKey().orElseThrow(),
                        config.clock().instant());
            } catch (IllegalStateException e) {
                // Never stall the log: the statement becomes an event saying why, and the prune fails.
                p.record = sealer.seal(p.sequence, SealedRecord.TYPE_EVENT, SelfRecords.pruneRefused(e.getMessage(),
                        config.clock().instant()));
                p.failure = e;
            }
        }
    }

    /**
     * Lays out the record of an event the caller handed over as it was, writing the event straight into the line
     * (no payload array in between), sealed now. The event was validated when built; only a trace id the caller's
     * thread supplied (trace context, MDC) could break a rule of its field, and then the ids are left out rather
     * than lose the record, which already has its sequence number.
     */
    private RecordSealer.Body layOut(Pending p) {
        Instant occurredAt = p.occurredAt();
        String[] ids = p.traceIds;
        Instant now = config.clock().instant();
        if (ids == null) {
            return preparer.prepareEvent(p.sequence, now, p.event, occurredAt, "", "", "");
        }
        try {
            return preparer.prepareEvent(p.sequence, now, p.event, occurredAt, ids[0], ids[1], ids[2]);
        } catch (IllegalArgumentException e) {
            Engine.LOG.warn("audit log {}: record {}: a trace id was refused ({}); recorded without the filled-in trace ids",
                    config.logId(), p.sequence, e.getMessage());
            return preparer.prepareEvent(p.sequence, now, p.event, occurredAt, "", "", "");
        }
    }

    private long sealedThrough() {
        return sealer.nextSequence() - 1;
    }

    /** 0 when there is due work; the wait until a retry, checkpoint or timer is due; Long.MAX_VALUE when idle. */
    private long nanosUntilWork() {
        long now = config.ticker().read();
        long wait = sinks.nanosUntilDue(sealedThrough(), now);
        if (!handOff.isClosing()) {
            wait = Math.min(wait, checkpoints.nanosUntilDue(now));
            wait = Math.min(wait, timers.nanosUntilDue(now));
        }
        return wait;
    }

    /** Fails whatever is left loudly rather than leave receipts hanging, then closes the sinks. */
    private void shutDown() {
        try {
            checkpoints.stopAnchoring();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close timed out; the anchoring thread is a daemon
        }
        List<Pending> left = new ArrayList<>();
        backlog.drainTo(left);
        handOff.drainRemaining(left);
        int unstored = 0;
        for (Pending p : left) {
            if (!p.isDone()) {
                unstored++;
                counters.failed.incrementAndGet();
                p.fail(new AuditException("record " + p.sequence + " of audit log \""
                        + config.chainId() + "\" was not stored before the log closed"));
            }
        }
        List<String> closeErrors = sinks.closeAll();
        if (failure == null && (unstored > 0 || !closeErrors.isEmpty() || sinks.anyAbandoned())) {
            List<String> parts = new ArrayList<>();
            if (unstored > 0) {
                parts.add(unstored + " record(s) not stored");
            }
            if (sinks.anyAbandoned()) {
                parts.add("records not stored in " + sinks.downMessage(Long.MAX_VALUE).replaceAll("; $", ""));
            }
            if (!closeErrors.isEmpty()) {
                parts.add("sink close errors " + closeErrors);
            }
            failure = new AuditException("audit log \"" + config.chainId() + "\" closed with " + String.join("; ", parts));
        }
        handOff.dispatcherDone(unstored);
    }
}
