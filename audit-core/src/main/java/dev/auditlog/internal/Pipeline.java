package dev.auditlog.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditListener;
import dev.auditlog.AuditMetrics;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Category;
import dev.auditlog.Delivery;
import dev.auditlog.Outcome;
import dev.auditlog.OverflowPolicy;
import dev.auditlog.Severity;
import dev.auditlog.SinkFailure;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.internal.protect.Lockouts;
import dev.auditlog.internal.protect.PolicyState;
import dev.auditlog.internal.protect.Redactor;
import dev.auditlog.protect.Alert;
import dev.auditlog.protect.GuardContext;
import dev.auditlog.protect.GuardDecision;
import dev.auditlog.protect.GuardDeniedException;
import dev.auditlog.protect.GuardRule;
import dev.auditlog.protect.GuardedAction;
import dev.auditlog.protect.ObservedEvent;
import dev.auditlog.protect.RecordingLevel;
import dev.auditlog.protect.RecordingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@link dev.auditlog.AuditLog}. Producers serialise their event on their own thread, then take
 * one lock for the queue hand-off, where the sequence number is assigned, so queue order is sequence order. One
 * dispatcher thread seals records (layout, leaf, chain) and writes batches to every sink, retrying failures. A
 * record stays in the dispatcher's backlog until every sink stored it, so a sink that recovers is brought up to
 * date without a gap; its capacity counts against the queue, which is what makes a dead sink push back.
 */
public final class Pipeline {
    static final Logger LOG = LoggerFactory.getLogger("dev.auditlog");
    private static final ThreadLocal<Serializer> SERIALIZER = ThreadLocal.withInitial(Serializer::new);
    private static final Actor SELF = Actor.system("auditlog");
    static final String LIBRARY_VERSION = "0.1.0";

    private final PipelineConfig config;
    private final List<SinkState> sinks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final Condition progress = lock.newCondition();

    // Guarded by lock.
    private Pending[] ring;
    private long sinceCheckpointSlot;
    private int ringHead;
    private int ringSize;
    private long nextSequence;
    private int outstanding;
    private long resolvedThrough;
    private long recorded;
    private long failedSinceFlush;
    private boolean closing;
    private boolean dispatcherDone;
    private long oldestBacklogNanos;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();

    // Dispatcher-only state.
    private final Sealer sealer;
    private final List<Pending> backlog = new ArrayList<>();
    private int backlogStart;

    private final Thread dispatcher;
    private final Thread shutdownHook;
    private volatile AuditException closeFailure;

    // Protection. The redactor always runs (secret-looking names are rejected by default); the rest is null when off.
    private final Redactor redactor;
    private volatile PolicyState policy;
    private final RulesEngine rules;
    private final List<GuardRule> guardRules;
    private final Lockouts lockouts = new Lockouts();

    /** When the dispatcher next looks whether a skip summary is due (dispatcher-only). */
    private long nextSummaryCheckNanos = System.nanoTime();

    // Checkpoints (dispatcher-only).
    private long lastCheckpointNanos = System.nanoTime();
    private boolean checkpointQueued;

    private Pipeline(PipelineConfig config, Resume resume, List<SinkState> sinks) {
        this.config = config;
        this.sinks = sinks;
        this.ring = new Pending[config.queueCapacity() + 8];
        this.nextSequence = resume.nextSequence();
        this.resolvedThrough = nextSequence - 1;
        this.sealer = new Sealer(config.logId(), nextSequence, resume.previousChain(), config.clock(), resume.tree());
        this.dispatcher = new Thread(this::runDispatcher, "auditlog-dispatcher-" + config.logId());
        this.dispatcher.setDaemon(true);
        this.shutdownHook = config.shutdownHook() ? new Thread(this::closeFromHook, "auditlog-shutdown-"
                + config.logId()) : null;
        Protection pr = config.protection();
        this.redactor = new Redactor(pr.redaction());
        this.policy = pr.policy() == null || pr.policy().recordsEverything() ? null
                : new PolicyState(pr.policy(), config.clock().instant());
        this.rules = pr.rules().isEmpty() ? null : new RulesEngine(config.logId(), pr.rules(), pr.alertListeners(),
                new RulesEngine.Callbacks() {
                    @Override
                    public void recordAlert(Alert alert) {
                        enqueueSelf(alertEvent(alert));
                    }

                    @Override
                    public void recordDeliveryFailure(Alert alert, String listener, int attempts, String error) {
                        enqueueSelf(selfEvent("audit.alert.delivery_failed").severity(Severity.ERROR)
                                .outcome(Outcome.failure("alert_delivery_failed"))
                                .attribute("alert.rule", alert.ruleId()).attribute("alert.key", alert.key())
                                .attribute("alert.sequences", List.copyOf(alert.sequences()))
                                .attribute("listener", listener).attribute("attempts", attempts)
                                .attribute("error", error).build());
                    }

                    @Override
                    public void lock(String key, Instant until, String ruleId) {
                        lockouts.lock(key, until, config.clock().instant());
                        enqueueSelf(selfEvent("audit.guard.locked").severity(Severity.WARNING)
                                .attribute("key", key).attribute("until", until.toString())
                                .attribute("rule", ruleId).build());
                    }
                }, pr.rulesQueueCapacity());
        this.guardRules = pr.guardRules();
    }

    /** Opens the sinks, resumes the chain, records {@code audit.log.started} and starts the dispatcher. */
    public static Pipeline start(PipelineConfig config) {
        List<SinkState> states = new ArrayList<>();
        try {
            for (AuditSink sink : config.sinks()) {
                SinkState s = new SinkState(sink);
                states.add(s);
                s.head = sink.open(config.logId()).orElse(null);
            }
            Resume resume = Resume.reconcile(config.logId(), states, config.maxBatchSize(),
                    config.checkpoints() ? config.checkpointEveryRecords() : 0);
            Pipeline p = new Pipeline(config, resume, states);
            for (SinkState s : states) {
                s.nextSequence = resume.nextSequence();
            }
            p.enqueueSelf(p.startedEvent(resume));
            for (SinkState s : states) {
                p.recordNotices(s);
            }
            if (p.rules != null) {
                p.rules.start();
            }
            p.dispatcher.start();
            if (p.shutdownHook != null) {
                Runtime.getRuntime().addShutdownHook(p.shutdownHook);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            for (SinkState s : states) {
                try {
                    s.sink.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof AuditException ae) {
                throw ae;
            }
            throw new AuditException("cannot open audit log \"" + config.logId() + "\": " + e.getMessage(), e);
        }
    }

    public PipelineConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- producer side

    public AuditReceipt record(AuditEvent event) {
        event = redactor.apply(event);
        PolicyState ps = policy;
        if (ps != null) {
            RecordingLevel level = ps.decide(event);
            if (level == RecordingLevel.NONE) {
                if (ps.summaryDue(config.clock().instant())) {
                    recordSummary(ps);
                }
                return Pending.skipped("the event was not recorded: the recording policy skipped it ("
                        + ps.policy().explain(event).ruleId() + "); it is counted in audit.policy.sampled");
            }
            if (level == RecordingLevel.METADATA && (!event.attributes().isEmpty() || event.message().isPresent())) {
                event = event.toBuilder().clearAttributes().clearMessage().build();
            }
        }
        return enqueueEvent(event, config.delivery() == Delivery.SYNC);
    }

    /** Serialises and queues an already redacted event; waits until it is durable when {@code sync}. */
    private AuditReceipt enqueueEvent(AuditEvent event, boolean sync) {
        if (config.strict()) {
            checkStrict(event);
        }
        Instant now = event.occurredAt().isPresent() ? null : config.clock().instant();
        byte[] payload = serialise(event, now);
        Pending p = new Pending(RecordFormat.TYPE_EVENT, payload);
        if (rules != null) {
            p.observed = event;
            p.observedAt = now != null ? now : event.occurredAt().get();
        }
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("audit log \"" + config.logId() + "\" is closed");
            }
            if (outstanding >= config.queueCapacity() && !awaitRoom(event)) {
                return Pending.dropped();
            }
            enqueueLocked(p);
        } finally {
            lock.unlock();
        }
        if (sync) {
            p.await();
        }
        return p;
    }

    /** Waits for room according to the policy; false means the event was dropped (DROP). Holds the lock. */
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
                            dropped.incrementAndGet();
                            throw new AuditException("audit queue full (" + config.queueCapacity()
                                    + " records) for " + config.blockTimeout() + "; event " + event.action()
                                    + " not recorded");
                        }
                        nanos = notFull.awaitNanos(nanos);
                    }
                }
                case DROP -> {
                    dropped.incrementAndGet();
                    notifyDrop(event, policy);
                    return false;
                }
                case THROW -> {
                    dropped.incrementAndGet();
                    throw new AuditException("audit queue full (" + config.queueCapacity() + " records); event "
                            + event.action() + " not recorded");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.incrementAndGet();
            throw new AuditException("interrupted while waiting for room in the audit queue; event "
                    + event.action() + " not recorded", e);
        }
        if (closing) {
            throw new IllegalStateException("audit log \"" + config.logId() + "\" is closed");
        }
        return true;
    }

    private void enqueueLocked(Pending p) {
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
        p.enqueuedNanos = System.nanoTime();
        ring[(ringHead + ringSize) % ring.length] = p;
        ringSize++;
        outstanding++;
        recorded++;
        if (ringSize == 1) {
            notEmpty.signal();
        }
        if (config.checkpoints()) {
            // The count rule is applied here, where sequence numbers are handed out, so that it holds exactly.
            if (p.payload == null) {
                sinceCheckpointSlot = 0;
            } else if (++sinceCheckpointSlot >= config.checkpointEveryRecords()) {
                enqueueLocked(new Pending(CheckpointRecords.TYPE, null));
            }
        }
    }

    /** The log's own records bypass the capacity check: they must never be dropped. */
    private void enqueueSelf(AuditEvent event) {
        enqueueInternal(new Pending(RecordFormat.TYPE_EVENT, serialise(event, event.occurredAt().isPresent() ? null
                : config.clock().instant())));
    }

    private void enqueueInternal(Pending p) {
        lock.lock();
        try {
            enqueueLocked(p);
        } finally {
            lock.unlock();
        }
    }

    private byte[] serialise(AuditEvent event, Instant now) {
        String traceId = event.traceId().isPresent() ? null : mdc(config.mdcTraceId());
        String spanId = event.spanId().isPresent() ? null : mdc(config.mdcSpanId());
        String requestId = event.requestId().isPresent() ? null : mdc(config.mdcRequestId());
        Serializer s = SERIALIZER.get();
        try {
            EventJson.write(s.generator, event, now, traceId, spanId, requestId);
            s.generator.flush();
        } catch (IOException | RuntimeException e) {
            SERIALIZER.remove(); // the generator may be mid-object: never reuse it
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException("cannot serialise audit event " + event.action(), (IOException) e);
        }
        byte[] bytes = s.buffer.toByteArray();
        s.buffer.reset();
        if (bytes.length > 1 << 16) {
            SERIALIZER.remove(); // do not keep a huge buffer per thread
        }
        return bytes;
    }

    /** One reusable buffer and generator per producer thread: creating a generator per record is costly. */
    private static final class Serializer {
        final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
        final JsonGenerator generator;

        Serializer() {
            try {
                generator = Json.FACTORY.createGenerator(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            generator.setRootValueSeparator(null); // events follow each other in one buffer, with nothing between
        }
    }

    /** An MDC value is used only if it would pass event validation; a bad one must not break the record. */
    private static String mdc(String key) {
        String v = MDC.get(key);
        if (v == null || v.isEmpty() || v.length() > 256) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isSurrogate(c)) {
                return null;
            }
        }
        return v;
    }

    private static void checkStrict(AuditEvent event) {
        if (event.origin().isEmpty()) {
            throw new IllegalArgumentException("strict profile: origin is required (PCI DSS 10.2.2: where the"
                    + " action came from); event " + event.action() + " has none");
        }
        if (event.targets().isEmpty()) {
            throw new IllegalArgumentException("strict profile: at least one target is required (PCI DSS 10.2.2:"
                    + " the affected resource); event " + event.action() + " has none");
        }
    }

    private void notifyDrop(AuditEvent event, OverflowPolicy policy) {
        LOG.warn("audit log {}: queue full, event {} dropped ({} dropped so far)", config.logId(), event.action(),
                dropped.get());
        for (AuditListener l : config.listeners()) {
            try {
                l.onDrop(event, policy);
            } catch (RuntimeException e) {
                LOG.error("audit listener {} threw", l, e);
            }
        }
    }

    public void flush() {
        flushRecords();
        if (rules != null) {
            // alerts raised by what was just flushed are part of it
            rules.awaitIdle();
            flushRecords();
        }
    }

    /** Waits until everything queued is resolved, ignoring failures (they stay counted for the next flush). */
    private void awaitResolved() {
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

    private void flushRecords() {
        lock.lock();
        try {
            long target = nextSequence - 1;
            // Sinks with deferred durability must make these records durable too; the dispatcher owns the sinks.
            for (SinkState s : sinks) {
                s.flushWanted = Math.max(s.flushWanted, target);
            }
            notEmpty.signal();
            while ((resolvedThrough < target || flushPending(target)) && !dispatcherDone) {
                progress.await();
            }
            long failures = failedSinceFlush;
            failedSinceFlush = 0;
            if (failures > 0) {
                throw new AuditException(failures + " record(s) of audit log \"" + config.logId()
                        + "\" could not be stored since the previous flush; see the receipts and the listener");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while flushing audit log \"" + config.logId() + "\"", e);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a sink that can still take records has not yet flushed through {@code target}. */
    private boolean flushPending(long target) {
        for (SinkState s : sinks) {
            if (!s.abandoned && s.flushedThrough < target && s.failedThrough < target) {
                return true;
            }
        }
        return false;
    }

    /** Flushes a sink once it has written everything a flush() caller waits for. Dispatcher only. */
    private void flushIfWanted(SinkState s) {
        long wanted = s.flushWanted;
        if (wanted <= s.flushedThrough || s.nextSequence <= wanted) {
            return;
        }
        try {
            s.sink.flush();
        } catch (IOException | RuntimeException e) {
            LOG.error("audit log {}: flushing sink {} failed", config.logId(), s.sink.name(), e);
            lock.lock();
            try {
                failedSinceFlush++;
            } finally {
                lock.unlock();
            }
        }
        s.flushedThrough = wanted;
    }

    public AuditMetrics metrics() {
        lock.lock();
        try {
            long oldest = oldestBacklogNanos != 0 ? oldestBacklogNanos
                    : ringSize > 0 ? ring[ringHead].enqueuedNanos : 0;
            Duration age = oldest == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - oldest));
            return new AuditMetrics(recorded, written.get(), dropped.get(), failed.get(), retried.get(), outstanding,
                    age);
        } finally {
            lock.unlock();
        }
    }

    public void close() {
        lock.lock();
        try {
            if (!closing) {
                lock.unlock();
                try {
                    if (rules != null) {
                        awaitResolved();
                        rules.shutdown();
                    }
                    PolicyState ps = policy;
                    if (ps != null) {
                        recordSummary(ps);
                    }
                    enqueueSelf(stoppedEvent());
                    if (config.checkpoints()) {
                        enqueueInternal(new Pending(CheckpointRecords.TYPE, null));
                    }
                } finally {
                    lock.lock();
                }
                closing = true;
                notEmpty.signal();
                notFull.signalAll();
            }
        } finally {
            lock.unlock();
        }
        try {
            dispatcher.join(config.closeTimeout().toMillis());
            if (dispatcher.isAlive()) {
                dispatcher.interrupt();
                dispatcher.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while closing audit log \"" + config.logId() + "\"", e);
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting; the hook runs or ran.
            }
        }
        if (dispatcher.isAlive()) {
            throw new AuditException("audit log \"" + config.logId() + "\" did not drain within "
                    + config.closeTimeout() + "; " + metrics().queueDepth() + " record(s) not stored");
        }
        AuditException failure = closeFailure;
        if (failure != null) {
            throw failure;
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.error("audit log {}: closing at JVM shutdown failed", config.logId(), e);
        }
    }

    // ---------------------------------------------------------------- dispatcher side

    private void runDispatcher() {
        List<Pending> fresh = new ArrayList<>(config.maxBatchSize());
        boolean exitNow = false;
        try {
            while (!exitNow) {
                boolean closingNow;
                lock.lock();
                try {
                    long wait = nanosUntilWork();
                    while (ringSize == 0 && wait > 0 && !(closing && backlogEmpty())) {
                        if (wait == Long.MAX_VALUE) {
                            notEmpty.await();
                        } else {
                            notEmpty.awaitNanos(wait);
                        }
                        wait = nanosUntilWork();
                    }
                    int n = Math.min(ringSize, config.maxBatchSize());
                    for (int i = 0; i < n; i++) {
                        fresh.add(ring[ringHead]);
                        ring[ringHead] = null;
                        ringHead = (ringHead + 1) % ring.length;
                    }
                    ringSize -= n;
                    closingNow = closing;
                } finally {
                    lock.unlock();
                }
                for (Pending p : fresh) {
                    if (p.payload == null) {
                        String[] note = new String[1];
                        p.record = sealer.sealCheckpoint(p.sequence, config.checkpointKey(), config.clock().instant(),
                                note);
                        p.note = note[0];
                        lastCheckpointNanos = System.nanoTime();
                        checkpointQueued = false;
                    } else {
                        p.record = sealer.seal(p.sequence, p.type, p.payload);
                        p.payload = null;
                        if (p.observed != null) {
                            rules.offer(new ObservedEvent(p.sequence, p.observedAt, p.observed));
                            p.observed = null;
                        }
                    }
                    backlog.add(p);
                }
                fresh.clear();
                if (!closingNow) {
                    maybeCheckpoint();
                    maybeSummarisePolicy();
                }
                for (SinkState s : sinks) {
                    writeDue(s, closingNow);
                    flushIfWanted(s);
                }
                resolve();
                lock.lock();
                try {
                    exitNow = closing && ringSize == 0 && backlogEmpty();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("audit log {}: dispatcher failed", config.logId(), t);
            closeFailure = new AuditException("audit log \"" + config.logId() + "\" dispatcher failed: " + t, t);
        } finally {
            shutDown();
        }
    }

    /** Writes the recording policy's skip counts on its interval even when nothing more is skipped (a timer). */
    private void maybeSummarisePolicy() {
        PolicyState ps = policy;
        if (ps == null || System.nanoTime() - nextSummaryCheckNanos < 0) {
            return;
        }
        nextSummaryCheckNanos = System.nanoTime() + ps.policy().summaryInterval().toNanos();
        if (ps.summaryDue(config.clock().instant())) {
            recordSummary(ps);
        }
    }

    /** Queues a checkpoint when T time has passed since the last one, idle or not (the count rule is at enqueue). */
    private void maybeCheckpoint() {
        if (config.checkpoints() && !checkpointQueued
                && System.nanoTime() - lastCheckpointNanos >= config.checkpointInterval().toNanos()) {
            enqueueInternal(new Pending(CheckpointRecords.TYPE, null));
            checkpointQueued = true;
        }
    }

    /** 0 when a sink has a due write; the wait until the next retry or checkpoint; or Long.MAX_VALUE when idle. */
    private long nanosUntilWork() {
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        if (config.checkpoints() && !checkpointQueued && !closing) {
            wait = Math.max(0, lastCheckpointNanos + config.checkpointInterval().toNanos() - now);
        }
        if (policy != null) {
            wait = Math.min(wait, Math.max(0, nextSummaryCheckNanos - now)); // wake to write due skip summaries
        }
        for (SinkState s : sinks) {
            if (!s.abandoned && s.nextSequence < sealer.nextSequence()) {
                wait = Math.min(wait, Math.max(0, s.retryAtNanos - now));
            }
            if (s.flushWanted > s.flushedThrough && s.nextSequence > s.flushWanted) {
                wait = 0;
            }
        }
        return wait;
    }

    private boolean backlogEmpty() {
        return backlogStart == backlog.size();
    }

    private void writeDue(SinkState s, boolean closingNow) {
        while (!s.abandoned && s.nextSequence < sealer.nextSequence() && System.nanoTime() - s.retryAtNanos >= 0) {
            int from = (int) (s.nextSequence - backlog.get(backlogStart).sequence) + backlogStart;
            int to = Math.min(backlog.size(), from + config.maxBatchSize());
            List<SealedRecord> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(backlog.get(i).record);
            }
            try {
                s.sink.write(batch);
                s.nextSequence = batch.get(batch.size() - 1).sequence() + 1;
                if (s.attempts > 0) {
                    recovered(s);
                }
            } catch (Exception e) {
                failedAttempt(s, backlog.subList(from, to), e, closingNow);
                recordNotices(s);
                return;
            }
            recordNotices(s);
            if (s.sink.wantsCheckpoint() && config.checkpoints() && !checkpointQueued) {
                enqueueInternal(new Pending(CheckpointRecords.TYPE, null)); // a checkpoint at every segment close
                checkpointQueued = true;
            }
        }
    }

    private void failedAttempt(SinkState s, List<Pending> batch, Exception e, boolean closingNow) {
        s.attempts++;
        s.failuresSinceRecovery++;
        long first = batch.get(0).sequence;
        long last = batch.get(batch.size() - 1).sequence;
        boolean exhausted = s.attempts >= config.maxAttempts();
        if (!exhausted) {
            retried.incrementAndGet();
        }
        long backoff = exhausted ? config.maxBackoff().toNanos()
                : Math.min(config.maxBackoff().toNanos(), config.initialBackoff().toNanos() << Math.min(30, s.attempts - 1));
        s.retryAtNanos = System.nanoTime() + backoff;
        if (exhausted) {
            // Nothing sealed so far can reach this sink before the failed batch does: fail those receipts now.
            // Records sealed later wait for the next attempt.
            s.failedThrough = sealer.nextSequence() - 1;
        }
        if (exhausted && s.attempts == config.maxAttempts()) {
            s.lastError = e;
            LOG.error("audit log {}: sink {} failed {} times on records {}..{}; failing their receipts and retrying"
                    + " every {}", config.logId(), s.sink.name(), s.attempts, first, last, config.maxBackoff(), e);
            enqueueSelf(sinkEvent("audit.sink.failed", s, e));
        } else if (!exhausted) {
            LOG.warn("audit log {}: sink {} failed on records {}..{} (attempt {} of {}), retrying: {}",
                    config.logId(), s.sink.name(), first, last, s.attempts, config.maxAttempts(), e.toString());
        }
        if (exhausted && closingNow) {
            s.abandoned = true;
            LOG.error("audit log {}: closing; sink {} abandoned with records from {} unwritten", config.logId(),
                    s.sink.name(), s.nextSequence);
        }
        SinkFailure failure = new SinkFailure(s.sink.name(), first, last, s.attempts, exhausted, e);
        for (AuditListener l : config.listeners()) {
            try {
                l.onSinkFailure(failure);
            } catch (RuntimeException le) {
                LOG.error("audit listener {} threw", l, le);
            }
        }
    }

    private void anchor(String note) {
        for (CheckpointAnchor a : config.anchors()) {
            try {
                a.anchor(config.logId(), note);
            } catch (IOException | RuntimeException e) {
                LOG.error("audit log {}: anchoring a checkpoint to {} failed", config.logId(), a.name(), e);
                enqueueSelf(selfEvent("audit.anchor.failed").severity(Severity.ERROR)
                        .outcome(Outcome.failure("anchor_failed")).attribute("anchor", a.name())
                        .attribute("error", Checks.describe(e.toString())).build());
            }
        }
    }

    private void recordNotices(SinkState s) {
        List<AuditEvent> notices;
        try {
            notices = s.sink.takeNotices();
        } catch (RuntimeException e) {
            LOG.error("audit log {}: sink {} failed to hand over its notices", config.logId(), s.sink.name(), e);
            return;
        }
        for (AuditEvent notice : notices) {
            enqueueSelf(notice);
        }
    }

    private void recovered(SinkState s) {
        if (s.attempts >= config.maxAttempts()) {
            LOG.warn("audit log {}: sink {} recovered after {} failed attempts", config.logId(), s.sink.name(),
                    s.failuresSinceRecovery);
            enqueueSelf(sinkEvent("audit.sink.recovered", s, s.lastError));
        }
        s.attempts = 0;
        s.failedThrough = -1;
        s.failuresSinceRecovery = 0;
        s.retryAtNanos = 0;
        s.lastError = null;
    }

    /** Completes receipts of records every sink stored, fails those a down sink holds back, trims the backlog. */
    private void resolve() {
        long writtenThrough = Long.MAX_VALUE;
        for (SinkState s : sinks) {
            if (!s.abandoned) {
                writtenThrough = Math.min(writtenThrough, s.nextSequence - 1);
            }
        }
        int newlyFailed = 0;
        for (int i = backlogStart; i < backlog.size(); i++) {
            Pending p = backlog.get(i);
            boolean held = heldByDownSink(p.sequence);
            if (p.sequence > writtenThrough && !held) {
                break; // later records are neither written nor held back either
            }
            if (p.future.isDone()) {
                continue;
            }
            if (held) {
                p.failed = true;
                failed.incrementAndGet();
                newlyFailed++;
                p.future.completeExceptionally(new AuditException("record " + p.sequence + " of audit log \""
                        + config.logId() + "\" could not be stored: " + downSinkMessage(p.sequence)));
            } else {
                written.incrementAndGet();
                p.future.complete(null);
                if (p.note != null) {
                    anchor(p.note);
                }
            }
        }
        int drop = 0;
        for (int j = backlogStart; j < backlog.size(); j++) {
            Pending p = backlog.get(j);
            if (!p.future.isDone() || stillNeeded(p.sequence)) {
                break;
            }
            backlog.set(j, null);
            drop++;
        }
        backlogStart += drop;
        if (backlogStart > 1024 && backlogStart > backlog.size() / 2) {
            backlog.subList(0, backlogStart).clear();
            backlogStart = 0;
        }
        long resolved = resolvedSequence();
        lock.lock();
        try {
            if (drop > 0) {
                outstanding -= drop;
                notFull.signalAll();
            }
            failedSinceFlush += newlyFailed;
            oldestBacklogNanos = backlogEmpty() ? 0 : backlog.get(backlogStart).enqueuedNanos;
            if (resolved > resolvedThrough) {
                resolvedThrough = resolved;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Highest sequence such that every record up to it has a completed receipt. */
    private long resolvedSequence() {
        for (int i = backlogStart; i < backlog.size(); i++) {
            Pending p = backlog.get(i);
            if (!p.future.isDone()) {
                return p.sequence - 1;
            }
        }
        return sealer.nextSequence() - 1;
    }

    private boolean heldByDownSink(long seq) {
        for (SinkState s : sinks) {
            if (s.nextSequence <= seq && (s.abandoned || seq <= s.failedThrough)) {
                return true;
            }
        }
        return false;
    }

    private boolean stillNeeded(long seq) {
        for (SinkState s : sinks) {
            if (!s.abandoned && s.nextSequence <= seq) {
                return true;
            }
        }
        return false;
    }

    private String downSinkMessage(long seq) {
        StringBuilder b = new StringBuilder();
        for (SinkState s : sinks) {
            if (s.nextSequence <= seq && (s.abandoned || seq <= s.failedThrough)) {
                b.append("sink ").append(s.sink.name()).append(" failed ").append(s.attempts).append(" times");
                if (s.lastError != null) {
                    b.append(" (").append(s.lastError).append(')');
                }
                b.append("; ");
            }
        }
        return b.toString();
    }

    private void shutDown() {
        // Whatever is left could not be stored: fail it loudly rather than leave receipts hanging.
        List<Pending> left = new ArrayList<>();
        lock.lock();
        try {
            closing = true;
            for (int i = backlogStart; i < backlog.size(); i++) {
                left.add(backlog.get(i));
            }
            while (ringSize > 0) {
                left.add(ring[ringHead]);
                ring[ringHead] = null;
                ringHead = (ringHead + 1) % ring.length;
                ringSize--;
            }
        } finally {
            lock.unlock();
        }
        int unstored = 0;
        for (Pending p : left) {
            if (!p.future.isDone()) {
                unstored++;
                failed.incrementAndGet();
                p.future.completeExceptionally(new AuditException("record " + p.sequence + " of audit log \""
                        + config.logId() + "\" was not stored before the log closed"));
            }
        }
        List<String> closeErrors = new ArrayList<>();
        for (SinkState s : sinks) {
            try {
                s.sink.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("audit log {}: closing sink {} failed", config.logId(), s.sink.name(), e);
                closeErrors.add(s.sink.name() + ": " + e);
            }
        }
        if (closeFailure == null && (unstored > 0 || !closeErrors.isEmpty() || anyAbandoned())) {
            closeFailure = new AuditException("audit log \"" + config.logId() + "\" closed with " + unstored
                    + " record(s) not stored" + (closeErrors.isEmpty() ? "" : "; sink close errors " + closeErrors)
                    + (anyAbandoned() ? "; " + downSinkMessage(Long.MAX_VALUE) : ""));
        }
        lock.lock();
        try {
            outstanding = 0;
            dispatcherDone = true;
            resolvedThrough = nextSequence - 1;
            failedSinceFlush += unstored;
            progress.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean anyAbandoned() {
        for (SinkState s : sinks) {
            if (s.abandoned) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- protection

    /** Replaces the recording policy and records {@code audit.config.changed} (before and after). */
    public synchronized void setPolicy(RecordingPolicy next) {
        PolicyState old = policy;
        if (old != null) {
            recordSummary(old);
        }
        String before = old == null ? "record everything" : old.policy().toString();
        policy = next.recordsEverything() ? null : new PolicyState(next, config.clock().instant());
        String after = policy == null ? "record everything" : next.toString();
        enqueueSelf(selfEvent("audit.config.changed").category(Category.CONFIGURATION).severity(Severity.NOTICE)
                .message("recording policy changed")
                .attribute("setting", "recording.policy")
                .attribute("before", shorten(before))
                .attribute("after", shorten(after))
                .build());
    }

    /** The recording policy in force. */
    public RecordingPolicy policy() {
        PolicyState ps = policy;
        return ps == null ? RecordingPolicy.recordEverything() : ps.policy();
    }

    private void recordSummary(PolicyState ps) {
        Map<String, Long> skipped = ps.drainSkipped();
        if (skipped.isEmpty()) {
            return;
        }
        long total = 0;
        for (long n : skipped.values()) {
            total += n;
        }
        enqueueSelf(selfEvent("audit.policy.sampled")
                .message(total + " event(s) not recorded by the recording policy since the previous summary")
                .attribute("skipped", skipped)
                .attribute("skipped.total", total)
                .build());
    }

    private AuditEvent alertEvent(Alert a) {
        List<Object> seqs = new ArrayList<>(a.sequences());
        return selfEvent("audit.alert").severity(a.severity())
                .message(a.summary())
                .attribute("alert.rule", a.ruleId())
                .attribute("alert.key", a.key())
                .attribute("alert.sequences", seqs)
                .attribute("alert.fired.at", a.firedAt().toString())
                .build();
    }

    /**
     * Asks the guard rules whether {@code intent} may proceed and records the decision durably before returning
     * (a DENY with outcome DENIED, an ALLOW with outcome PENDING). Fails closed: if the decision cannot be recorded,
     * or a rule throws, the answer is DENY.
     */
    public GuardDecision guard(AuditEvent intent) {
        AuditEvent e = redactor.apply(intent);
        String correlationId = e.correlationId().orElseGet(() -> UuidV7.next().toString());
        Instant now = config.clock().instant();
        AuditEvent seen = e;
        GuardContext ctx = new GuardContext() {
            @Override
            public AuditEvent event() {
                return seen;
            }

            @Override
            public Instant now() {
                return now;
            }

            @Override
            public Optional<Instant> lockedUntil(String key) {
                return lockouts.lockedUntil(key, now);
            }
        };
        String denyRule = null;
        String reason = null;
        for (GuardRule r : guardRules) {
            Optional<String> d;
            try {
                d = r.check(ctx);
            } catch (RuntimeException ex) {
                LOG.error("audit log {}: guard rule {} failed; denying", config.logId(), r.id(), ex);
                d = Optional.of("the guard rule failed (" + ex.getClass().getName() + "); failing closed");
            }
            if (d.isPresent()) {
                denyRule = r.id();
                reason = d.get().length() > 1000 ? d.get().substring(0, 999) + "…" : d.get();
                break;
            }
        }
        AuditEvent.Builder b = e.toBuilder().correlationId(correlationId)
                .attribute("guard.decision", denyRule == null ? "ALLOW" : "DENY");
        if (e.occurredAt().isEmpty()) {
            b.occurredAt(now);
        }
        if (denyRule != null) {
            b.outcome(Outcome.of(OutcomeStatus.DENIED, denyRule, reason)).attribute("guard.rule", denyRule);
        } else {
            b.outcome(Outcome.of(OutcomeStatus.PENDING));
        }
        try {
            AuditReceipt receipt = enqueueEvent(b.build(), true);
            long seq = receipt.sequence();
            return denyRule == null ? GuardDecision.allow(correlationId, seq)
                    : GuardDecision.deny(denyRule, reason, correlationId, seq);
        } catch (RuntimeException ex) {
            if (ex instanceof IllegalArgumentException) {
                throw ex; // the caller's event is invalid (e.g. strict profile): not a recording failure
            }
            LOG.error("audit log {}: a guard decision for {} could not be recorded; denying ({})", config.logId(),
                    e.action(), ex.getClass().getName());
            return GuardDecision.deny(GuardDecision.UNRECORDED, "the decision could not be recorded durably ("
                    + ex.getClass().getSimpleName() + "); failing closed", correlationId, -1);
        }
    }

    /** Guards, runs and records the outcome of an action; see {@code AuditLog.guarded}. */
    public <T, E extends Exception> T guarded(AuditEvent intent, GuardedAction<T, E> action) throws E {
        GuardDecision d = guard(intent);
        if (!d.allowed()) {
            throw new GuardDeniedException(d);
        }
        AuditEvent.Builder outcome = intent.toBuilder().eventId(UuidV7.next()).correlationId(d.correlationId())
                .attribute("guard.decision.sequence", d.sequence().getAsLong());
        T result;
        try {
            result = action.run();
        } catch (Throwable t) {
            recordOutcome(outcome.outcome(Outcome.failure("exception"))
                    .attribute("exception.class", t.getClass().getName()));
            throw t;
        }
        recordOutcome(outcome.outcome(Outcome.success()));
        return result;
    }

    private void recordOutcome(AuditEvent.Builder b) {
        b.occurredAt(config.clock().instant());
        enqueueEvent(redactor.apply(b.build()), config.delivery() == Delivery.SYNC);
    }

    // ---------------------------------------------------------------- the log's own records

    private AuditEvent startedEvent(Resume resume) {
        List<Object> sinkNames = new ArrayList<>();
        for (SinkState s : sinks) {
            sinkNames.add(s.sink.name());
        }
        AuditEvent.Builder b = selfEvent("audit.log.started")
                .message("audit log started")
                .attribute("library.version", LIBRARY_VERSION)
                .attribute("log.id", config.logId())
                .attribute("resumed.from.sequence", resume.nextSequence())
                .attribute("sinks", sinkNames)
                .attribute("delivery", config.delivery().name())
                .attribute("overflow.policy", config.overflowPolicy().name())
                .attribute("queue.capacity", config.queueCapacity())
                .attribute("batch.max", config.maxBatchSize())
                .attribute("retry.max.attempts", config.maxAttempts())
                .attribute("strict", config.strict());
        Protection pr = config.protection();
        if (!pr.redaction().equals(dev.auditlog.protect.Redaction.defaults())) {
            b.attribute("redaction", pr.redaction().toString());
        }
        if (policy != null) {
            b.attribute("recording.policy", shorten(policy.policy().toString()));
        }
        if (rules != null) {
            List<Object> ids = new ArrayList<>();
            rules.rules().forEach(r -> ids.add(r.id()));
            b.attribute("detection.rules", ids);
        }
        if (!guardRules.isEmpty()) {
            List<Object> ids = new ArrayList<>();
            guardRules.forEach(r -> ids.add(r.id()));
            b.attribute("guard.rules", ids);
        }
        return b.build();
    }

    private static String shorten(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
    }

    private AuditEvent stoppedEvent() {
        AuditMetrics m = metrics();
        AuditEvent.Builder b = selfEvent("audit.log.stopped")
                .message("audit log stopped")
                .attribute("recorded", m.recorded())
                .attribute("written", m.written())
                .attribute("dropped", m.dropped())
                .attribute("failed", m.failed())
                .attribute("retried", m.retried());
        if (rules != null) {
            b.attribute("alerts", rules.alerts()).attribute("rules.not.evaluated", rules.overflow())
                    .attribute("rules.errors", rules.ruleErrors());
        }
        return b.build();
    }

    private AuditEvent sinkEvent(String action, SinkState s, Throwable error) {
        AuditEvent.Builder b = selfEvent(action)
                .severity(action.endsWith("failed") ? Severity.ERROR : Severity.WARNING)
                .outcome(action.endsWith("failed") ? Outcome.failure("sink_write_failed") : Outcome.success())
                .attribute("sink", s.sink.name())
                .attribute("failed.attempts", s.failuresSinceRecovery)
                .attribute("first.unwritten.sequence", s.nextSequence);
        if (error != null) {
            b.attribute("error", error.getClass().getName());
        }
        return b.build();
    }

    private AuditEvent.Builder selfEvent(String action) {
        return AuditEvent.builder()
                .action(action)
                .category(Category.SYSTEM)
                .actor(SELF)
                .outcome(Outcome.success());
    }
}
