package dev.auditlog.spi;

import java.io.IOException;

/**
 * A sink's store refused one record for what it holds, not because the store is unreachable: retrying the same
 * bytes will fail the same way. A sink throws it from {@link AuditSink#write} for a batch of one record (the log
 * retries a failed batch one record at a time, so it learns which record it is).
 *
 * <p>The log never skips the record (that would make a gap in the chain): it keeps retrying, and once the retries
 * are exhausted it records {@code audit.sink.stuck} (with the record, this reason and the time stuck), reports the
 * sink as stuck in {@link dev.auditlog.AuditLog#sinkHealth()} and to the listeners, and warns periodically until an
 * operator resolves it with {@link dev.auditlog.AuditLog#storeUnindexed(String, long)}.
 *
 * <p>The message must not quote record contents or credentials; the log passes it through
 * {@link Scrubber#scrub(String)} anyway.
 */
public class RecordRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long sequence;

    /**
     * @param sequence the refused record's sequence number
     * @param message  the store's reason, without record contents
     * @param cause    what the store threw; may be null
     */
    public RecordRefusedException(long sequence, String message, Throwable cause) {
        super(message, cause);
        this.sequence = sequence;
    }

    /** The refused record's sequence number. */
    public long sequence() {
        return sequence;
    }

    /** The refusal in {@code e} or its causes, or null when {@code e} is not a refusal. */
    public static RecordRefusedException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordRefusedException r) {
                return r;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
