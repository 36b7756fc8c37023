package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditReceipt;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.Interception;
import dev.auditlog.spi.RecordSealer;

import java.time.Instant;

/**
 * The callers' side of the engine, on the caller's thread: the interceptors, the strict profile, the trace ids
 * (trace context providers, MDC), and the one short hand-off under the lock; after it, while the dispatcher is
 * behind, laying out and hashing the caller's own record.
 */
final class Intake {
    private final EngineConfig config;
    private final HandOff handOff;
    private final Counters counters;
    private final AuditInterceptor[] chain;
    /** {@code chain[i]} as an {@link EventRewriter} when it is one, else null. */
    private final EventRewriter[] rewriters;
    private final TraceIds traceIds;
    /** Per caller thread: lays out record bodies while the dispatcher is behind ({@link #prepare}). */
    private final ThreadLocal<RecordSealer.Preparer> preparers;

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
        this.preparers = ThreadLocal.withInitial(() -> new RecordSealer.Preparer(chainId));
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
     * as it is (events are immutable). Once queued it has its sequence number, and when the dispatcher is behind (a
     * batch or more not sealed yet) the caller then lays out and hashes the record itself, writing the event straight
     * into the line, so that the callers share the dispatcher's work; otherwise the dispatcher serialises it, which
     * keeps the call short. The trace ids (trace context providers, MDC) are read here either way: they belong to
     * the caller's thread.
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
        if (handOff.callersLayOut() && p.claimPrepare()) {
            prepare(p, event, ids);
        }
        if (sync) {
            p.await();
        }
        return p;
    }

    /**
     * Lays out the body of a record and hashes it, on the caller's thread while the dispatcher is behind or writing
     * ({@link HandOff#callersLayOut}): only the chain link must be made in sequence order, so the callers share the
     * rest. Sealed now, so at the clock's time now; the dispatcher waits for the body if it gets to the record first.
     * When this fails (a trace id the caller's thread supplied breaks its field's rule, say), the dispatcher seals the
     * event itself, as it would have, and says why.
     */
    private void prepare(Pending p, AuditEvent event, String[] ids) {
        RecordSealer.Body body = null;
        try {
            Instant occurredAt = p.occurredAt();
            body = ids == null
                    ? preparers.get().prepareEvent(p.sequence, config.clock().instant(), event, occurredAt, "", "", "")
                    : preparers.get().prepareEvent(p.sequence, config.clock().instant(), event, occurredAt, ids[0],
                    ids[1], ids[2]);
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
