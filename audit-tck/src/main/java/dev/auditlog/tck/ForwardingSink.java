package dev.auditlog.tck;

import dev.auditlog.AuditEvent;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A sink that forwards everything to another one; the fault doubles override what they disturb. */
public abstract class ForwardingSink implements AuditSink {
    /** The sink everything is forwarded to. */
    protected final AuditSink delegate;

    /** @param delegate the sink to forward to */
    protected ForwardingSink(AuditSink delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The double's kind, used in {@link #name()}: {@code kind(delegate name)}. */
    protected abstract String kind();

    @Override
    public String name() {
        return kind() + "(" + delegate.name() + ")";
    }

    @Override
    public Optional<ChainHead> open(String logId) throws IOException {
        return delegate.open(logId);
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        delegate.write(records);
    }

    @Override
    public void writeUnindexed(SealedRecord record) throws IOException {
        delegate.writeUnindexed(record);
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    @Override
    public List<AuditEvent> takeNotices() {
        return delegate.takeNotices();
    }

    @Override
    public boolean wantsCheckpoint() {
        return delegate.wantsCheckpoint();
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
