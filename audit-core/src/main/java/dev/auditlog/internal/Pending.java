package dev.auditlog.internal;

import dev.auditlog.AuditException;
import dev.auditlog.AuditReceipt;
import dev.auditlog.spi.SealedRecord;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A record on its way through the pipeline; it is also the caller's receipt, to save an allocation. */
final class Pending implements AuditReceipt {
    private static final long DROPPED = -1;

    final String type;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    byte[] payload;
    long sequence = DROPPED;
    long enqueuedNanos;
    SealedRecord record;
    /** For checkpoint records: the signed note, handed to the anchors once the record is durable. */
    String note;
    boolean failed;
    /** For events the detection rules should see: the event as recorded and when it happened; else null. */
    dev.auditlog.AuditEvent observed;
    java.time.Instant observedAt;
    /** Why an event was not recorded, for receipts that have no sequence number. */
    private String notRecorded = "the event was dropped (queue full) and has no sequence number";

    /** @param payload the serialised payload, or null for a checkpoint, whose payload is made when it is sealed */
    Pending(String type, byte[] payload) {
        this.type = type;
        this.payload = payload;
    }

    static Pending dropped() {
        Pending p = new Pending(RecordFormat.TYPE_EVENT, null);
        p.future.completeExceptionally(new AuditException("event dropped: the audit queue was full"));
        return p;
    }

    /** A receipt for an event the recording policy did not record: complete, without a sequence number. */
    static Pending skipped(String why) {
        Pending p = new Pending(RecordFormat.TYPE_EVENT, null);
        p.notRecorded = why;
        p.future.complete(null);
        return p;
    }

    @Override
    public long sequence() {
        if (sequence == DROPPED) {
            throw new IllegalStateException(notRecorded);
        }
        return sequence;
    }

    @Override
    public boolean isDropped() {
        return sequence == DROPPED;
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
        return isDropped() ? (future.isCompletedExceptionally() ? "AuditReceipt[dropped]" : "AuditReceipt[not recorded]")
                : "AuditReceipt[sequence=" + sequence + ", " + (future.isDone()
                ? (future.isCompletedExceptionally() ? "failed" : "durable") : "pending") + "]";
    }
}
