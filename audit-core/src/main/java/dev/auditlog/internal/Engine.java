package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditMetrics;
import dev.auditlog.AuditReceipt;
import dev.auditlog.Delivery;
import dev.auditlog.GuardDecision;
import dev.auditlog.GuardDeniedException;
import dev.auditlog.GuardedAction;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.SinkHealth;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainLeaseException;
import dev.auditlog.spi.Interception;
import dev.auditlog.spi.InterceptorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The engine behind {@link dev.auditlog.AuditLog}: it wires the parts and is their front door. A record goes
 * {@link Intake} (caller's thread: interceptors, serialising) → {@link HandOff} (the one lock: sequence number,
 * queue) → {@link Dispatcher} (one thread: {@link Sealer}, interceptors' observers, {@link Checkpoints},
 * {@link Timers}) → {@link Sinks} (delivery with retry) → {@link Backlog} (receipts). {@link SelfRecords} writes the
 * log's own records.
 */
public final class Engine {
    static final Logger LOG = LoggerFactory.getLogger("dev.auditlog");

    private final EngineConfig config;
    private final Counters counters = new Counters();
    private final HandOff handOff;
    private final Intake intake;
    private final SelfRecords self;
    private final Dispatcher dispatcher;
    private final Checkpoints checkpoints;
    private final Thread thread;
    private final Thread shutdownHook;
    /** Whether an interceptor observes sealed records (and so may hand work off that flush and close wait for). */
    private final boolean observed;

    private final List<SinkState> states;

    private Engine(EngineConfig config, Resume resume, List<SinkState> states, KeyCheck.Outcome key) {
        this.states = states;
        this.config = config;
        this.self = new SelfRecords(config);
        this.handOff = new HandOff(config, counters, resume.nextSequence());
        self.attach(handOff);
        this.intake = new Intake(config, handOff, counters);
        Timers timers = new Timers(config.ticker(), config.chainId());
        timers.onAdd(handOff::wake);
        Sinks sinks = new Sinks(config, states, counters, self, handOff);
        Sealer sealer = new Sealer(config.chainId(), resume.nextSequence(), resume.previousChain(), config.clock(),
                resume.tree());
        List<AuditInterceptor> observers = config.interceptors().stream()
                .filter(AuditInterceptor::observesSealed).toList();
        this.observed = !observers.isEmpty();
        this.checkpoints = new Checkpoints(config, handOff, self);
        this.dispatcher = new Dispatcher(config, handOff, sealer, new Backlog(config.chainId(), counters), sinks,
                checkpoints, timers, observers, counters);
        this.thread = new Thread(dispatcher, "auditlog-dispatcher-" + config.chainId());
        this.thread.setDaemon(true);
        this.shutdownHook = config.shutdownHook()
                ? new Thread(this::closeFromHook, "auditlog-shutdown-" + config.chainId()) : null;
        startInterceptors(new Context(timers));
        for (SinkState s : states) {
            s.nextSequence = resume.nextSequence();
        }
        if (key == KeyCheck.Outcome.ROTATE) {
            handOff.offerSelf(Pending.keyRotation()); // first, so that nothing of this session is signed by the old key
        }
        self.record(self.started(resume.nextSequence(), states));
        for (SinkState s : states) {
            sinks.recordNotices(s);
        }
    }

    /** Starts every interceptor; if one refuses, those already started are closed again. */
    private void startInterceptors(InterceptorContext context) {
        List<AuditInterceptor> started = new ArrayList<>();
        try {
            for (AuditInterceptor i : config.interceptors()) {
                i.start(context);
                started.add(i);
            }
        } catch (RuntimeException e) {
            for (AuditInterceptor i : started) {
                try {
                    i.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Opens the sinks, resumes the chain, starts the interceptors, records {@code audit.log.started}. */
    public static Engine start(EngineConfig config) {
        List<SinkState> states = new ArrayList<>();
        try {
            for (AuditSink sink : config.sinks()) {
                SinkState s = new SinkState(sink);
                states.add(s);
                s.head = sink.open(config.chainId()).orElse(null);
            }
            Resume resume = Resume.reconcile(config.chainId(), states, config.maxBatchSize(),
                    config.checkpoints() ? config.checkpointEveryRecords() : 0);
            KeyCheck.Outcome key = KeyCheck.check(config, states);
            Engine e = new Engine(config, resume, states, key);
            e.thread.start();
            if (e.shutdownHook != null) {
                Runtime.getRuntime().addShutdownHook(e.shutdownHook);
            }
            return e;
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
            if (e instanceof IllegalStateException ise) {
                throw ise; // an interceptor already in use by another log
            }
            if (e instanceof ChainLeaseException lease) {
                throw new AuditException("cannot open audit log \"" + config.logId() + "\": " + lease.getMessage(), e);
            }
            throw new AuditException("cannot open audit log \"" + config.logId() + "\" (chain " + config.chainId()
                    + "): " + e.getMessage(), e);
        }
    }

    public String logId() {
        return config.logId();
    }

    public String chainId() {
        return config.chainId();
    }

    public AuditReceipt record(AuditEvent event) {
        return intake.record(event, config.delivery() == Delivery.SYNC);
    }

    /**
     * Asks the interceptors whether {@code intent} may proceed and records the decision durably before returning
     * (a veto with outcome DENIED, an allow with outcome PENDING). Fails closed: when the decision cannot be
     * recorded, or an interceptor fails, the answer is DENY.
     */
    public GuardDecision guard(AuditEvent intent) {
        String correlationId = intent.correlationId().orElseGet(() -> intent.eventId().toString());
        AuditEvent.Builder b = intent.toBuilder().correlationId(correlationId);
        if (intent.occurredAt().isEmpty()) {
            b.occurredAt(config.clock().instant());
        }
        AuditEvent e = b.build();
        Intake.Decision d;
        try {
            d = intake.intercept(e, AuditInterceptor.Call.INTENT);
        } catch (IllegalArgumentException ex) {
            throw ex; // the caller's event is invalid: not a decision
        } catch (RuntimeException ex) {
            LOG.error("audit log {}: an interceptor failed deciding {}; denying", config.chainId(), e.action(), ex);
            d = new Intake.Decision(Interception.Kind.VETO, e, "interceptor", "interceptor",
                    "an interceptor failed (" + ex.getClass().getName() + "); failing closed");
        }
        boolean allowed = d.kind() != Interception.Kind.VETO;
        AuditEvent.Builder decision = d.event().toBuilder()
                .attribute("guard.decision", allowed ? "ALLOW" : "DENY");
        if (allowed) {
            decision.outcome(Outcome.of(OutcomeStatus.PENDING));
        } else {
            decision.outcome(Outcome.of(OutcomeStatus.DENIED, d.rule(), d.reason())).attribute("guard.rule", d.rule());
        }
        try {
            long seq = intake.enqueue(decision.build(), true).sequence();
            return allowed ? GuardDecision.allow(correlationId, seq)
                    : GuardDecision.deny(d.rule(), d.reason(), correlationId, seq);
        } catch (IllegalArgumentException ex) {
            throw ex; // the caller's event is invalid (e.g. strict profile): not a recording failure
        } catch (RuntimeException ex) {
            LOG.error("audit log {}: a guard decision for {} could not be recorded; denying ({})", config.chainId(),
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
        AuditEvent.Builder outcome = intent.toBuilder().newEventId().correlationId(d.correlationId())
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
        Intake.Decision d = intake.intercept(b.occurredAt(config.clock().instant()).build(),
                AuditInterceptor.Call.OUTCOME); // an outcome is never skipped or vetoed
        intake.enqueue(d.event(), config.delivery() == Delivery.SYNC);
    }

    /**
     * Waits until every record accepted before the call (and every timed record already due) is resolved, and
     * until the interceptors' handed-off work and the records it made are too.
     */
    /** Removes the records before {@code before} under a signed retention statement; see {@code AuditLog.prune}. */
    public dev.auditlog.PruneResult prune(long before, List<dev.auditlog.integrity.VerifierKey> formerKeys) {
        return Pruning.prune(config, states, handOff, self, this::flush, before, formerKeys);
    }

    public void flush() {
        flushRecords();
        if (observed) {
            for (AuditInterceptor i : config.interceptors()) {
                i.awaitIdle();
            }
            flushRecords(); // alerts raised by what was just flushed are part of it
        }
        try {
            checkpoints.awaitAnchored(); // the checkpoints flushed are anchored too
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while flushing audit log \"" + config.chainId() + "\"", e);
        }
    }

    private void flushRecords() {
        long failures;
        try {
            failures = handOff.flush(dispatcherSinks());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while flushing audit log \"" + config.chainId() + "\"", e);
        }
        if (failures > 0) {
            throw new AuditException(failures + " record(s) of audit log \"" + config.chainId()
                    + "\" could not be stored since the previous flush; see the receipts and the listener");
        }
    }

    private Sinks dispatcherSinks() {
        return dispatcher.sinks();
    }

    public AuditMetrics metrics(long redacted) {
        HandOff.Stats q = handOff.stats();
        Duration age = q.queueDepth() == 0 ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, config.ticker().read() - q.oldestNanos()));
        long failing = sinkHealth().stream().filter(h -> h.status() == SinkHealth.Status.FAILING
                || h.status() == SinkHealth.Status.STUCK).count();
        return new AuditMetrics(q.recorded(), counters.written.get(), counters.dropped.get(),
                counters.skipped.get(), counters.failed.get(), counters.retried.get(), q.queueDepth(), age, redacted,
                failing);
    }

    /** Each sink's health, in the order added; any thread. */
    public List<SinkHealth> sinkHealth() {
        Sinks sinks = dispatcherSinks();
        long now = config.ticker().read();
        List<SinkHealth> out = new ArrayList<>();
        for (SinkState s : sinks.states()) {
            out.add(sinks.health(s, now));
        }
        return List.copyOf(out);
    }

    /** See {@code AuditLog.storeUnindexed}: hands the request to the dispatcher and waits for it. */
    public void storeUnindexed(String sinkName, long sequence) {
        SinkState target = null;
        for (SinkState s : dispatcherSinks().states()) {
            if (s.sink.name().equals(sinkName)) {
                target = s;
            }
        }
        if (target == null) {
            throw new IllegalArgumentException("sink must name one of this log's sinks "
                    + sinkHealth().stream().map(SinkHealth::sink).toList() + ", was \"" + sinkName + "\"");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        if (handOff.isClosing()) {
            throw new IllegalStateException("audit log \"" + config.logId() + "\" is closed");
        }
        SinkState.Release r = new SinkState.Release(sequence, new java.util.concurrent.CompletableFuture<>());
        target.release = r;
        handOff.wake();
        try {
            r.done().get(config.closeTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while storing record " + sequence + " unindexed", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof AuditException ae ? new AuditException(ae.getMessage(), ae)
                    : new AuditException(String.valueOf(e.getCause()), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AuditException("the dispatcher did not take the request to store record " + sequence
                    + " unindexed within " + config.closeTimeout());
        }
    }

    public Optional<Duration> lastCheckpointAge() {
        OptionalLong at = checkpoints.lastDurableNanos();
        return at.isPresent() ? Optional.of(Duration.ofNanos(Math.max(0, config.ticker().read() - at.getAsLong())))
                : Optional.empty();
    }

    public void close() {
        if (!handOff.isClosing()) {
            finalRecords();
            handOff.close();
        }
        try {
            thread.join(config.closeTimeout().toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while closing audit log \"" + config.chainId() + "\"", e);
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The JVM is exiting; the hook runs or ran.
            }
        }
        if (thread.isAlive()) {
            throw new AuditException("audit log \"" + config.chainId() + "\" did not drain within "
                    + config.closeTimeout() + "; " + handOff.stats().queueDepth() + " record(s) not stored");
        }
        AuditException failure = dispatcher.failure();
        if (failure != null) {
            throw failure;
        }
    }

    /** The interceptors close (their last records in), then audit.log.stopped and a final checkpoint. */
    private void finalRecords() {
        if (observed) {
            handOff.awaitResolved(); // observers see everything sealed before they close
        }
        for (AuditInterceptor i : config.interceptors()) {
            try {
                i.close();
            } catch (RuntimeException e) {
                LOG.error("audit log {}: closing interceptor {} failed", config.chainId(), i.name(), e);
            }
        }
        self.record(self.stopped(metrics(0)));
        if (config.checkpoints()) {
            handOff.offerSelf(Pending.checkpoint());
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.error("audit log {}: closing at JVM shutdown failed", config.chainId(), e);
        }
    }

    /** What an interceptor may use of this log. */
    private final class Context implements InterceptorContext {
        private final Timers timers;

        Context(Timers timers) {
            this.timers = timers;
        }

        @Override
        public String logId() {
            return config.logId();
        }

        @Override
        public Clock clock() {
            return config.clock();
        }

        @Override
        public AuditEvent.Builder selfEvent(String action) {
            return SelfRecords.event(action);
        }

        @Override
        public void recordSelf(AuditEvent event) {
            self.record(event);
        }

        @Override
        public void schedule(Duration delay, Supplier<Optional<Duration>> task) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must be >= 0, was " + delay);
            }
            timers.schedule(delay, task);
        }
    }
}
