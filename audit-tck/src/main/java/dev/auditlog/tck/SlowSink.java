package dev.auditlog.tck;

import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;

/** A sink double that takes at least {@code delay} per write, to exercise batching and queue pressure. */
public final class SlowSink extends ForwardingSink {
    private final Duration delay;

    /** Delays every write to {@code delegate} by {@code delay}. */
    public SlowSink(AuditSink delegate, Duration delay) {
        super(delegate);
        this.delay = delay;
    }



    @Override
    protected String kind() {
        return "slow";
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while slow");
        }
        delegate.write(records);
    }


}
