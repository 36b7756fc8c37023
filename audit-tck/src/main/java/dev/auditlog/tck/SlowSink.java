package dev.auditlog.tck;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A sink double that takes at least {@code delay} per write, to exercise batching and queue pressure. */
public final class SlowSink implements AuditSink {
    private final AuditSink delegate;
    private final Duration delay;

    /** Delays every write to {@code delegate} by {@code delay}. */
    public SlowSink(AuditSink delegate, Duration delay) {
        this.delegate = delegate;
        this.delay = delay;
    }

    @Override
    public String name() {
        return "slow(" + delegate.name() + ")";
    }

    @Override
    public Optional<ChainHead> open(String logId) throws IOException {
        return delegate.open(logId);
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

    @Override
    public Optional<AuditReader> reader() {
        return delegate.reader();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
