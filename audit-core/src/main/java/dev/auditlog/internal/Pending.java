package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditReceipt;
import dev.auditlog.spi.RecordSealer;
import dev.auditlog.spi.SealedRecord;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A record on its way through the engine; it is also the caller's receipt, to save an allocation. Kept to 64 bytes
 * (what {@code record()} may add to the event): the receipt's {@link CompletableFuture} is made only when someone
 * asks for it ({@link #durable()}, {@link #await()}), the time an event without one happened is two numbers, not an
 * {@link Instant}, and the log's own signed records carry their extra state in {@link Signed}.
 */
class Pending implements AuditReceipt {
    private static final long NONE = -1;
    /** The {@link #state} of a stored record. */
    private static final Object DONE = new Object();
    private static final VarHandle STATE;
    private static final VarHandle PREPARED;
    /** {@link #prepared}: the caller is laying out the body now. */
    private static final Object CLAIMED = new Object();
    /** {@link #prepared}: the dispatcher seals the record itself (it got there first, or laying out failed). */
    private static final Object UNPREPARED = new Object();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Pending.class, "state", Object.class);
            PREPARED = MethodHandles.lookup().findVarHandle(Pending.class, "prepared", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    long sequence = NONE;
    long enqueuedNanos;
    /**
     * When an event without its own occurredAt happened, read from the log's clock on the caller's thread (see
     * {@link #occurredAt()}).
     */
    long occurredSeconds;
    int occurredNanos;
    SealedRecord record;
    /**
     * The serialised payload of one of the log's own event records until sealed; null for a signed record, whose
     * payload is made when it is sealed, and for a caller's event ({@link #event}).
     */
    byte[] payload;
    /**
     * A caller's event as recorded, until sealed (the caller or the dispatcher serialises it); null for the log's
     * own records.
     */
    AuditEvent event;
    /**
     * Trace, span and request id read on the caller's thread (providers, MDC) for an event, "" for none; null when
     * there are none at all.
     */
    String[] traceIds;
    /**
     * Null while unresolved; the receipt's future while unresolved once someone asked for it; then {@link #DONE} or
     * the failure.
     */
    private volatile Object state;
    /**
     * For an event: null until the caller or the dispatcher claims the layout of its body;
     * then {@link #CLAIMED} while the caller lays it out, the {@link RecordSealer.Body} it made, or
     * {@link #UNPREPARED} when the dispatcher seals the record itself. Keeps the object at 64 bytes.
     */
    private volatile Object prepared;

    Pending(byte[] payload) {
        this.payload = payload;
    }

    /** An event handed over unserialised: the dispatcher serialises it (it is immutable) just before sealing. */
    static Pending event(AuditEvent event, String[] traceIds) {
        Pending p = new Pending(null);
        p.event = event;
        p.traceIds = traceIds;
        return p;
    }

    static Signed checkpoint() {
        return new Signed(SealedRecord.TYPE_CHECKPOINT);
    }

    /** A key rotation record, signed when it is sealed (the tree it commits to is known only then). */
    static Signed keyRotation() {
        return new Signed(SealedRecord.TYPE_KEY);
    }

    /** A retention record for {@code cut}, signed when it is sealed. */
    static Signed retention(RetentionCut cut) {
        Signed p = new Signed(SealedRecord.TYPE_RETENTION);
        p.cut = cut;
        return p;
    }

    /** A receipt for an event dropped because the queue was full. */
    static AuditReceipt dropped() {
        return new NotRecorded(false, "the event was dropped (queue full) and has no sequence number",
                CompletableFuture.failedFuture(new AuditException("event dropped: the audit queue was full")));
    }

    /** A receipt for an event an interceptor did not record: complete, without a sequence number. */
    static AuditReceipt skipped(String why) {
        return new NotRecorded(true, why, CompletableFuture.completedFuture(null));
    }

    /** The record type: an event, unless it is one of the log's {@link Signed} records. */
    String type() {
        return SealedRecord.TYPE_EVENT;
    }

    boolean isCheckpoint() {
        return false;
    }

    /** Sets when the event happened (it had no occurredAt of its own). */
    void occurredAt(Instant at) {
        occurredSeconds = at.getEpochSecond();
        occurredNanos = at.getNano();
    }

    /** When the {@link #event} happened: its own occurredAt, else what the caller read from the clock. */
    Instant occurredAt() {
        return event.occurredAt().orElseGet(() -> Instant.ofEpochSecond(occurredSeconds, occurredNanos));
    }

    /** The caller's claim to lay out the body: false when the dispatcher already took the record as it is. */
    boolean claimPrepare() {
        return PREPARED.compareAndSet(this, null, CLAIMED);
    }

    /** Publishes the body the caller laid out after {@link #claimPrepare}, or null when it could not. */
    void prepared(RecordSealer.Body body) {
        prepared = body == null ? UNPREPARED : body;
    }

    /**
     * For the dispatcher, in sequence order: the body the caller laid out, waiting while it does (it holds a
     * sequence number and is hashing now); null when the dispatcher must seal the record itself.
     */
    RecordSealer.Body awaitPrepared() {
        if (PREPARED.compareAndSet(this, null, UNPREPARED)) {
            return null;
        }
        Object b;
        for (int spins = 0; (b = prepared) == CLAIMED; spins++) {
            if (spins < 256) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the caller was descheduled mid-way: let it run
            }
        }
        return b instanceof RecordSealer.Body body ? body : null;
    }

    boolean isDone() {
        Object s = state;
        return s != null && !(s instanceof CompletableFuture);
    }

    /** Resolves the receipt as stored; nothing when it is already resolved. */
    void complete() {
        resolve(DONE);
    }

    /** Resolves the receipt as failed; nothing when it is already resolved. */
    void fail(AuditException e) {
        resolve(e);
    }

    @SuppressWarnings("unchecked")
    private void resolve(Object result) {
        while (true) {
            Object s = state;
            if (s != null && !(s instanceof CompletableFuture)) {
                return;
            }
            if (STATE.compareAndSet(this, s, result)) {
                if (s != null) {
                    CompletableFuture<Void> f = (CompletableFuture<Void>) s;
                    if (result == DONE) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally((Throwable) result);
                    }
                }
                return;
            }
        }
    }

    /** The receipt's future, made on the first request; one that is already complete once resolved. */
    @SuppressWarnings("unchecked")
    private CompletableFuture<Void> future() {
        while (true) {
            Object s = state;
            if (s == DONE) {
                return CompletableFuture.completedFuture(null);
            }
            if (s instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            if (s != null) {
                return (CompletableFuture<Void>) s;
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (STATE.compareAndSet(this, null, f)) {
                return f;
            }
        }
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public boolean isDropped() {
        return false;
    }

    @Override
    public boolean isSkipped() {
        return false;
    }

    @Override
    public CompletionStage<Void> durable() {
        return future().minimalCompletionStage();
    }

    @Override
    public void await() {
        Object s = state;
        if (s == DONE) {
            return;
        }
        join(s instanceof Throwable t ? CompletableFuture.failedFuture(t) : future(), sequence);
    }

    static void join(CompletableFuture<Void> future, long sequence) {
        try {
            future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof AuditException ae) {
                throw new AuditException(ae.getMessage(), ae);
            }
            throw new AuditException("record " + sequence + " could not be stored: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public String toString() {
        Object s = state;
        return "AuditReceipt[sequence=" + sequence + ", " + (s == DONE ? "durable"
                : s instanceof Throwable ? "failed" : "pending") + "]";
    }

    /**
     * One of the log's own records that the dispatcher signs when it seals it: a checkpoint, a key rotation or a
     * retention statement.
     */
    static final class Signed extends Pending {
        private final String type;
        /** For checkpoint records: the signed note, handed to the anchors once the record is durable. */
        String note;
        /** For a retention record: where to cut and the tree there; the statement is signed when it is sealed. */
        RetentionCut cut;
        /** Why a retention record could not be sealed (an event saying so was sealed in its place); else null. */
        RuntimeException failure;

        private Signed(String type) {
            super(null);
            this.type = type;
        }

        @Override
        String type() {
            return type;
        }

        @Override
        boolean isCheckpoint() {
            return SealedRecord.TYPE_CHECKPOINT.equals(type);
        }
    }

    /** The receipt of an event that was not recorded (dropped or skipped): resolved, without a sequence number. */
    private static final class NotRecorded implements AuditReceipt {
        private final boolean skipped;
        private final String why;
        private final CompletableFuture<Void> future;

        NotRecorded(boolean skipped, String why, CompletableFuture<Void> future) {
            this.skipped = skipped;
            this.why = why;
            this.future = future;
        }

        @Override
        public long sequence() {
            throw new IllegalStateException(why);
        }

        @Override
        public boolean isDropped() {
            return !skipped;
        }

        @Override
        public boolean isSkipped() {
            return skipped;
        }

        @Override
        public CompletionStage<Void> durable() {
            return future.minimalCompletionStage();
        }

        @Override
        public void await() {
            join(future, NONE);
        }

        @Override
        public String toString() {
            return skipped ? "AuditReceipt[skipped]" : "AuditReceipt[dropped]";
        }
    }
}
