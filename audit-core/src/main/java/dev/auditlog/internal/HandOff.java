package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditListener;
import dev.auditlog.OverflowPolicy;

import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The queue between the callers and the dispatcher, and the engine's one lock. A record gets its sequence number
 * here, under the lock, so queue order is sequence order. Every field below is guarded by {@link #lock}; see the
 * package documentation for the locking discipline.
 */
final class HandOff {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition progress = lock.newCondition();

    private final EngineConfig config;
    private final Counters counters;

    private Pending[] ring;
    private int ringHead;
    private int ringSize;
    private long nextSequence;
    /** Records accepted and not yet resolved: in the ring or in the dispatcher's backlog. */
    private int outstanding;
    /** Every record up to this one has a completed receipt. */
    private long resolvedThrough;
    private long sinceCheckpoint;
    private long recorded;
    private long failedSinceFlush;
    private boolean closing;
    private boolean dispatcherDone;
    private long oldestBacklogNanos;
    private boolean backlogEmpty = true;
    /** flush() asks the dispatcher for a timer pass; it waits until timerPassesDone reaches its request. */
    private long timerPassesWanted;
    private long timerPassesDone;
    /**
     * The next sequence number to hand out, written under the lock and read without it by callers deciding whether
     * to lay out their own records ({@link #callersLayOut}): a hint, so a stale value only moves one record's work.
     */
    private volatile long sequencedHint;
    /**
     * The next sequence number the dispatcher will seal, published by it as it seals ({@link #sealedUpTo}); with
     * {@link #sequencedHint} the records given a number and not sealed yet, whether still queued or in the batch the
     * dispatcher is sealing. The ring's length alone dropped below a batch after every take, so callers stopped
     * sharing the work while the dispatcher was still behind by a whole batch.
     */
    private volatile long sealedHint;
    /** See {@link #writing(boolean)}. */
    private volatile boolean writing;
    private static final java.lang.invoke.VarHandle SEALED_HINT;

    static {
        try {
            SEALED_HINT = java.lang.invoke.MethodHandles.lookup().findVarHandle(HandOff.class, "sealedHint",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Whether the dispatcher naps or sleeps until signalled; see {@link WaitStrategy}. */
    private final WaitStrategy waits;

    HandOff(EngineConfig config, Counters counters, long nextSequence) {
        this(config, counters, nextSequence, new WaitStrategy(config.ticker()));
    }

    HandOff(EngineConfig config, Counters counters, long nextSequence, WaitStrategy waits) {
        this.config = config;
        this.counters = counters;
        this.waits = waits;
        this.ring = new Pending[config.queueCapacity() + 8];
        this.nextSequence = nextSequence;
        this.resolvedThrough = nextSequence - 1;
        this.sequencedHint = nextSequence;
        this.sealedHint = nextSequence;
    }

    // ------------------------------------------------------------------ callers

    /**
     * Whether callers should lay out their records themselves rather than add to the dispatcher's work: while a batch
     * or more of records waits to be sealed, or while the dispatcher writes to its sinks ({@link #writing}). Read
     * without the lock.
     */
    boolean callersLayOut() {
        return writing || sequencedHint - (long) SEALED_HINT.getOpaque(this) >= config.maxBatchSize();
    }

    /**
     * Set by the dispatcher while it writes to its sinks. A record queued meanwhile waits for that write anyway (a
     * force under GROUP_COMMIT, a database round trip), so its caller lays it out: the dispatcher then only links it,
     * and the next write comes sooner.
     */
    void writing(boolean now) {
        writing = now;
    }

    /**
     * Queues a caller's record, applying the overflow policy when the queue is full. False when the event was
     * dropped (DROP). {@code urgent}: the caller will wait for the record, so the dispatcher is woken at once even
     * when it only naps.
     */
    boolean offer(Pending p, AuditEvent event, boolean urgent) {
        lock.lock();
        try {
            checkOpen();
            if (outstanding < config.queueCapacity() || awaitRoom(event)) {
                enqueueLocked(p, urgent);
                return true;
            }
        } finally {
            lock.unlock();
        }
        notifyDrop(event, config.overflowPolicy()); // outside the lock: listeners are user code
        return false;
    }

    /** Queues one of the log's own records: they bypass the capacity check and are never dropped. */
    void offerSelf(Pending p) {
        lock.lock();
        try {
            if (dispatcherDone) {
                throw new IllegalStateException("audit log \"" + config.logId() + "\" is closed; its own record "
                        + "came too late to be stored");
            }
            enqueueLocked(p, false);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException("audit log \"" + config.logId() + "\" is closed");
        }
    }

    private boolean awaitRoom(AuditEvent event) {
        OverflowPolicy policy = config.overflowPolicy();
        try {
            switch (policy) {
                case BLOCK -> {
                    while (outstanding >= config.queueCapacity() && !closing) {
                        notFull.await();
                    }
                }
                case BLOCK_WITH_TIMEOUT -> {
                    long nanos = config.blockTimeout().toNanos();
                    while (outstanding >= config.queueCapacity() && !closing) {
                        if (nanos <= 0) {
                            counters.dropped.incrementAndGet();
                            throw new AuditException("audit queue full (" + config.queueCapacity()
                                    + " records) for " + config.blockTimeout() + "; event " + event.action()
                                    + " not recorded");
                        }
                        nanos = notFull.awaitNanos(nanos);
                    }
                }
                case DROP -> {
                    counters.dropped.incrementAndGet();
                    return false;
                }
                case THROW -> {
                    counters.dropped.incrementAndGet();
                    throw new AuditException("audit queue full (" + config.queueCapacity() + " records); event "
                            + event.action() + " not recorded");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            counters.dropped.incrementAndGet();
            throw new AuditException("interrupted while waiting for room in the audit queue; event "
                    + event.action() + " not recorded", e);
        }
        checkOpen();
        return true;
    }

    private void notifyDrop(AuditEvent event, OverflowPolicy policy) {
        Engine.LOG.warn("audit log {}: queue full, event {} dropped ({} dropped so far)", config.logId(),
                event.action(), counters.dropped.get());
        for (AuditListener l : config.listeners()) {
            try {
                l.onDrop(event, policy);
            } catch (RuntimeException e) {
                Engine.LOG.error("audit listener {} threw", l, e);
            }
        }
    }

    private void enqueueLocked(Pending p, boolean urgent) {
        if (ringSize == ring.length) {
            // Only the log's own records can exceed the capacity, and only by a few: grow rather than lose one.
            Pending[] bigger = new Pending[ring.length * 2];
            for (int i = 0; i < ringSize; i++) {
                bigger[i] = ring[(ringHead + i) % ring.length];
            }
            ring = bigger;
            ringHead = 0;
        }
        p.sequence = nextSequence++;
        sequencedHint = nextSequence;
        p.enqueuedNanos = config.ticker().read();
        ring[(ringHead + ringSize) % ring.length] = p;
        ringSize++;
        outstanding++;
        recorded++;
        if (waits.mustSignal(urgent)) {
            notEmpty.signal();
        }
        if (config.checkpoints()) {
            // The count rule is applied here, where sequence numbers are handed out, so that it holds exactly.
            if (p.isCheckpoint()) {
                sinceCheckpoint = 0;
            } else if (++sinceCheckpoint >= config.checkpointEveryRecords()) {
                enqueueLocked(Pending.checkpoint(), false);
            }
        }
    }

    // ------------------------------------------------------------------ flush and close

    /**
     * Waits until the dispatcher has run every timer due now, then until every record queued before that is
     * resolved, and until every sink in {@code flushPending} has flushed through it. Returns and clears the count of
     * records that failed since the previous flush.
     */
    long flush(Sinks sinks) throws InterruptedException {
        lock.lock();
        try {
            long pass = ++timerPassesWanted;
            notEmpty.signal();
            while (timerPassesDone < pass && !dispatcherDone) {
                progress.await();
            }
            long target = nextSequence - 1;
            sinks.wantFlush(target); // sinks with deferred durability must make these records durable too
            notEmpty.signal();
            while ((resolvedThrough < target || sinks.flushPending(target)) && !dispatcherDone) {
                progress.await();
            }
            long failures = failedSinceFlush;
            failedSinceFlush = 0;
            return failures;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until everything queued is resolved, ignoring failures (they stay counted for the next flush). */
    void awaitResolved() {
        lock.lock();
        try {
            long target = nextSequence - 1;
            while (resolvedThrough < target && !dispatcherDone) {
                progress.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the queue closed (records after this throw) and wakes everyone; false when it already was. */
    boolean close() {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            closing = true;
            notEmpty.signal();
            notFull.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A consistent view of the queue for metrics: records accepted, unresolved, and when the oldest unresolved one
     * was queued (meaningless when none is).
     */
    record Stats(long recorded, long queueDepth, long oldestNanos) {
    }

    Stats stats() {
        lock.lock();
        try {
            long oldest = !backlogEmpty ? oldestBacklogNanos : ringSize > 0 ? ring[ringHead].enqueuedNanos : 0;
            return new Stats(recorded, outstanding, oldest);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ dispatcher

    /** What {@link #take} saw. */
    record Taken(boolean closing, boolean timerPassWanted) {
    }

    /**
     * Waits until there is something to do (records queued, a timer due, a timer pass wanted, or closing with an
     * empty backlog), then moves up to {@code max} records into {@code out}.
     *
     * @param nanosUntilWork 0 when the dispatcher has due work, else how long it may wait (Long.MAX_VALUE: idle)
     * @param backlogEmpty   whether the dispatcher holds no unresolved record
     */
    Taken take(List<Pending> out, int max, LongSupplier nanosUntilWork, BooleanSupplier backlogEmpty)
            throws InterruptedException {
        lock.lock();
        try {
            long wait = nanosUntilWork.getAsLong();
            while (ringSize == 0 && wait > 0 && timerPassesDone == timerPassesWanted
                    && !(closing && backlogEmpty.getAsBoolean())) {
                long nap = waits.waitNanos(wait);
                if (nap == Long.MAX_VALUE) {
                    notEmpty.await();
                } else {
                    notEmpty.awaitNanos(nap);
                }
                waits.awake();
                wait = nanosUntilWork.getAsLong();
            }
            if (ringSize > 0) {
                waits.busy();
            }
            int n = Math.min(ringSize, max);
            for (int i = 0; i < n; i++) {
                out.add(ring[ringHead]);
                ring[ringHead] = null;
                ringHead = (ringHead + 1) % ring.length;
            }
            ringSize -= n;
            return new Taken(closing, timerPassesDone < timerPassesWanted);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The dispatcher sealed every record before {@code next}. Called per record, so an opaque store (no fence):
     * callers read it as a hint.
     */
    void sealedUpTo(long next) {
        SEALED_HINT.setOpaque(this, next);
    }

    /** The dispatcher ran every due timer for the flush() calls waiting so far. */
    void timerPassDone() {
        lock.lock();
        try {
            timerPassesDone = timerPassesWanted;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The dispatcher resolved records: {@code trimmed} left the backlog, {@code newlyFailed} failed. */
    void resolved(int trimmed, int newlyFailed, long resolved, boolean backlogEmpty, long oldestBacklog) {
        lock.lock();
        try {
            if (trimmed > 0) {
                outstanding -= trimmed;
                notFull.signalAll();
            }
            failedSinceFlush += newlyFailed;
            this.backlogEmpty = backlogEmpty;
            oldestBacklogNanos = oldestBacklog;
            if (resolved > resolvedThrough) {
                resolvedThrough = resolved;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records a failed sink flush, reported by the next flush(). */
    void flushFailed() {
        lock.lock();
        try {
            failedSinceFlush++;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the dispatcher may stop: closing, nothing queued, nothing in its backlog. */
    boolean drained(boolean backlogEmpty) {
        lock.lock();
        try {
            return closing && ringSize == 0 && backlogEmpty;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the ring into {@code out} and marks the queue closed, when the dispatcher stops. */
    void drainRemaining(List<Pending> out) {
        lock.lock();
        try {
            closing = true;
            while (ringSize > 0) {
                out.add(ring[ringHead]);
                ring[ringHead] = null;
                ringHead = (ringHead + 1) % ring.length;
                ringSize--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The dispatcher stopped: nothing will resolve any more; wake every waiter. */
    void dispatcherDone(long unstored) {
        lock.lock();
        try {
            outstanding = 0;
            dispatcherDone = true;
            resolvedThrough = nextSequence - 1;
            failedSinceFlush += unstored;
            timerPassesDone = timerPassesWanted;
            progress.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Signals callers sent to wake the dispatcher for their records (for tests). */
    long signals() {
        lock.lock();
        try {
            return waits.signals();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the dispatcher is waiting for work, napping or asleep (for tests). */
    boolean dispatcherWaiting() {
        lock.lock();
        try {
            return lock.hasWaiters(notEmpty);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the dispatcher (a flush was asked of a sink). */
    void wake() {
        lock.lock();
        try {
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

}
