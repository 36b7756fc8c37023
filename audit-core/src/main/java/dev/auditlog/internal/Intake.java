package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditReceipt;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.Interception;
import dev.auditlog.spi.RecordSealer;

import java.time.Instant;

/**
 * The callers' side of the engine, on the caller's thread: the interceptors, the strict profile, the trace ids
 * (trace context providers, MDC), and the one short hand-off under the lock; after it, now and then while the
 * dispatcher is behind, laying out and hashing the caller's latest records.
 */
final class Intake {
    private final EngineConfig config;
    private final HandOff handOff;
    private final Counters counters;
    private final AuditInterceptor[] chain;
    /** {@code chain[i]} as an {@link EventRewriter} when it is one, else null. */
    private final EventRewriter[] rewriters;
    private final TraceIds traceIds;
    /**
     * Records a caller's thread queued in a row, at most this many, that it lays out together when the dispatcher is
     * behind ({@link Run}).
     */
    static final int RUN = 16;
    /** Per caller thread: its latest records not laid out yet, and what lays them out ({@link #enqueue}). */
    private final ThreadLocal<Run> runs;

    Intake(EngineConfig config, HandOff handOff, Counters counters) {
        this.config = config;
        this.handOff = handOff;
        this.counters = counters;
        this.chain = config.interceptors().toArray(new AuditInterceptor[0]);
        this.rewriters = new EventRewriter[chain.length];
        for (int i = 0; i < chain.length; i++) {
            rewriters[i] = chain[i] instanceof EventRewriter r ? r : null;
        }
        this.traceIds = TraceIds.create(config);
        String chainId = config.chainId();
        this.runs = ThreadLocal.withInitial(() -> new Run(new RecordSealer.Preparer(chainId)));
    }

    /** What the interceptors decided, and which one decided a skip or a veto. */
    record Decision(Interception.Kind kind, AuditEvent event, String by, String rule, String reason) {
    }

    /**
     * Runs the interceptors in order; a skip or a veto ends the chain. What happened or was decided is never lost
     * to an interceptor's mistake: a skip is honoured for {@code record} only (an intent and a guarded outcome are
     * always recorded, and the later interceptors still decide on them), a veto for an intent only. A skip or veto
     * that is not honoured is logged and the event goes on unchanged.
     */
    Decision intercept(AuditEvent event, AuditInterceptor.Call call) {
        Object r = run(event, call);
        return r instanceof Decision d ? d : new Decision(Interception.Kind.PROCEED, (AuditEvent) r, null, null, null);
    }

    /**
     * Records an event: runs the interceptors ({@link #intercept}) and queues the event they pass, without a
     * {@link Decision} unless one skips it.
     */
    AuditReceipt record(AuditEvent event, boolean sync) {
        Object r = run(event, AuditInterceptor.Call.RECORD);
        return r instanceof Decision d ? skipped(d) : enqueue((AuditEvent) r, sync);
    }

    /** The interceptors' chain: the event to go on with, or the {@link Decision} of a skip or veto. */
    private Object run(AuditEvent event, AuditInterceptor.Call call) {
        for (int n = 0; n < chain.length; n++) {
            if (rewriters[n] != null) {
                event = rewriters[n].rewrite(event);
                continue;
            }
            AuditInterceptor i = chain[n];
            Interception r = i.beforeSeal(event, call);
            if (r == null) {
                throw new IllegalStateException("interceptor " + i.name() + " returned null for " + event.action());
            }
            Interception.Kind kind = r.kind();
            if (kind == Interception.Kind.PROCEED) {
                event = r.event().orElseThrow();
            } else if (kind == Interception.Kind.SKIP && call == AuditInterceptor.Call.RECORD
                    || kind == Interception.Kind.VETO && call == AuditInterceptor.Call.INTENT) {
                return new Decision(kind, event, i.name(), r.rule().orElseThrow(), r.reason().orElseThrow());
            } else {
                Engine.LOG.error("audit log {}: interceptor {} answered {} for a {} event ({}); only a record can be"
                        + " skipped and only an intent vetoed, so it goes on", config.logId(), i.name(), kind, call,
                        event.action());
            }
        }
        return event;
    }

    /** A receipt for an event an interceptor skipped. */
    AuditReceipt skipped(Decision d) {
        counters.skipped.incrementAndGet();
        return Pending.skipped("the event was not recorded: " + d.by() + " skipped it (" + d.rule() + ": "
                + d.reason() + ")");
    }

    /**
     * Queues an event the interceptors passed; waits until it is durable when {@code sync}. The event is handed over
     * as it is (events are immutable), and the call is usually just that: the dispatcher serialises the event. When
     * the dispatcher is behind (a batch or more not sealed yet) or writing to its sinks, the caller shares its work:
     * every {@value #RUN}th call lays out and hashes the caller's latest {@value #RUN} records, writing each event
     * straight into its line, so that most calls stay short and a few do a run of work at once (the way a logger's
     * ring lets most calls through and makes a few wait). A {@code sync} call, which waits anyway, lays out its run
     * at once. The trace ids (trace context providers, MDC) are read here either way: they belong to the caller's
     * thread.
     */
    AuditReceipt enqueue(AuditEvent event, boolean sync) {
        if (config.strict()) {
            checkStrict(event);
        }
        String[] ids = traceIds.missing(event); // on this thread: the trace context and MDC belong to it
        Pending p = Pending.event(event, ids);
        if (event.occurredAt().isEmpty()) {
            p.occurredAt(config.clock().instant()); // kept as two numbers: no Instant escapes on the usual path
        }
        if (!handOff.offer(p, event, sync)) {
            return Pending.dropped();
        }
        Run run = runs.get();
        run.records[run.size++] = p;
        if (run.size == RUN || sync) {
            if (handOff.callersLayOut()) {
                layOut(run);
            }
            run.clear();
        }
        if (sync) {
            p.await();
        }
        return p;
    }

    /**
     * A caller thread's latest records, oldest first, not laid out yet, and its {@link RecordSealer.Preparer}. Holds
     * fewer than {@value #RUN} records between calls.
     */
    private static final class Run {
        final Pending[] records = new Pending[RUN];
        final RecordSealer.Preparer preparer;
        int size;

        Run(RecordSealer.Preparer preparer) {
            this.preparer = preparer;
        }

        void clear() {
            java.util.Arrays.fill(records, 0, size, null); // keep no event alive longer than it needs to be
            size = 0;
        }
    }

    /**
     * Lays out the run's records, newest first, the farthest from the dispatcher, which takes them oldest first:
     * where it got first (its claim is made), the older ones are its too.
     */
    private void layOut(Run run) {
        for (int i = run.size - 1; i >= 0; i--) {
            Pending q = run.records[i];
            if (!q.claimPrepare()) {
                return;
            }
            prepare(run.preparer, q);
        }
    }

    /**
     * Lays out the body of a record and hashes it, on the caller's thread while the dispatcher is behind or writing
     * ({@link HandOff#callersLayOut}): only the chain link must be made in sequence order, so the callers share the
     * rest. Sealed now, so at the clock's time now; the dispatcher waits for the body if it gets to the record first.
     * When this fails (a trace id the caller's thread supplied breaks its field's rule, say), the dispatcher seals the
     * event itself, as it would have, and says why.
     */
    private void prepare(RecordSealer.Preparer preparer, Pending p) {
        RecordSealer.Body body = null;
        try {
            Instant occurredAt = p.occurredAt();
            String[] ids = p.traceIds;
            body = ids == null
                    ? preparer.prepareEvent(p.sequence, config.clock().instant(), p.event, occurredAt, "", "", "")
                    : preparer.prepareEvent(p.sequence, config.clock().instant(), p.event, occurredAt, ids[0], ids[1],
                    ids[2]);
        } catch (IllegalArgumentException e) {
            // a refused trace id: the dispatcher records the event without the filled-in ids and logs it
        } catch (RuntimeException e) {
            Engine.LOG.warn("audit log {}: record {}: laying out its body on the caller's thread failed; the"
                    + " dispatcher seals it", config.logId(), p.sequence, e);
        } finally {
            p.prepared(body);
        }
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
}
