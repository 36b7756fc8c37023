package dev.auditlog.tck;

import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink double whose first {@code n} writes fail with {@link IOException}, after which it delegates. With
 * {@link #always(AuditSink)} it never recovers until {@link #heal()} is called.
 */
public final class FailingSink extends ForwardingSink {
    private final AtomicInteger failuresLeft;
    private final AtomicInteger attempts = new AtomicInteger();

    private FailingSink(AuditSink delegate, int failures) {
        super(delegate);
        this.failuresLeft = new AtomicInteger(failures);
    }

    /** Fails the first {@code failures} writes, then writes through to {@code delegate}. */
    public static FailingSink failingTimes(int failures, AuditSink delegate) {
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be >= 0, was " + failures);
        }
        return new FailingSink(delegate, failures);
    }

    /** Fails every write until {@link #heal()}. */
    public static FailingSink always(AuditSink delegate) {
        return new FailingSink(delegate, Integer.MAX_VALUE);
    }

    /** The next {@code failures} writes fail (on top of none: this replaces the remaining count). */
    public void failNext(int failures) {
        failuresLeft.set(failures);
    }

    /** From now on, writes go through. */
    public void heal() {
        failuresLeft.set(0);
    }

    /** Write attempts so far, failed or not. */
    public int attempts() {
        return attempts.get();
    }



    @Override
    protected String kind() {
        return "failing";
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        attempts.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            throw new IOException("injected failure writing records " + records.get(0).sequence() + ".."
                    + records.get(records.size() - 1).sequence());
        }
        delegate.write(records);
    }


}
