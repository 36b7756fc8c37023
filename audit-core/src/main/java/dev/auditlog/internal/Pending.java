package dev.auditlog.internal;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditReceipt;
import dev.auditlog.spi.SealedRecord;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A record on its way through the engine; it is also the caller's receipt, to save an allocation. */
final class Pending implements AuditReceipt {
    private static final long NONE = -1;

    final String type;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    /**
     * The serialised payload until sealed; null for a checkpoint, whose payload is made when it is sealed, and for an
     * event the dispatcher serialises ({@link #event}).
     */
    byte[] payload;
    long sequence = NONE;
    long enqueuedNanos;
    SealedRecord record;
    /** For checkpoint records: the signed note, handed to the anchors once the record is durable. */
    String note;
    /**
     * The event as recorded and when it happened, until sealed: set when the dispatcher serialises it (no
     * {@link #payload}) or the interceptors observe it ({@link #observe}); else null.
     */
    AuditEvent event;
    Instant occurredAt;
    /** Trace ids read on the caller's thread (providers, MDC) for an event the dispatcher serialises; "" for none. */
    String mdcTraceId;
    String mdcSpanId;
    String mdcRequestId;
    /** Whether the interceptors observe this event once it is sealed. */
    boolean observe;
    private final boolean skipped;
    /** Why an event was not recorded, for receipts that have no sequence number. */
    private final String notRecorded;

    Pending(String type, byte[] payload) {
        this(type, payload, false, null);
    }

    private Pending(String type, byte[] payload, boolean skipped, String notRecorded) {
        this.type = type;
        this.payload = payload;
        this.skipped = skipped;
        this.notRecorded = notRecorded;
    }

    /** An event handed over unserialised: the dispatcher serialises it (it is immutable) just before sealing. */
    static Pending event(AuditEvent event, Instant occurredAt, String traceId, String spanId, String requestId) {
        Pending p = new Pending(SealedRecord.TYPE_EVENT, null);
        p.event = event;
        p.occurredAt = occurredAt;
        p.mdcTraceId = traceId;
        p.mdcSpanId = spanId;
        p.mdcRequestId = requestId;
        return p;
    }

    static Pending checkpoint() {
        return new Pending(SealedRecord.TYPE_CHECKPOINT, null);
    }

    static Pending dropped() {
        Pending p = new Pending(SealedRecord.TYPE_EVENT, null, false,
                "the event was dropped (queue full) and has no sequence number");
        p.future.completeExceptionally(new AuditException("event dropped: the audit queue was full"));
        return p;
    }

    /** A receipt for an event an interceptor did not record: complete, without a sequence number. */
    static Pending skipped(String why) {
        Pending p = new Pending(SealedRecord.TYPE_EVENT, null, true, why);
        p.future.complete(null);
        return p;
    }

    boolean isCheckpoint() {
        return SealedRecord.TYPE_CHECKPOINT.equals(type);
    }

    @Override
    public long sequence() {
        if (sequence == NONE) {
            throw new IllegalStateException(notRecorded);
        }
        return sequence;
    }

    @Override
    public boolean isDropped() {
        return sequence == NONE && !skipped;
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
        return skipped ? "AuditReceipt[skipped]" : sequence == NONE ? "AuditReceipt[dropped]"
                : "AuditReceipt[sequence=" + sequence + ", " + (future.isDone()
                ? (future.isCompletedExceptionally() ? "failed" : "durable") : "pending") + "]";
    }
}
