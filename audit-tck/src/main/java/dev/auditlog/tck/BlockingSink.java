package dev.auditlog.tck;

import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink double whose writes block until {@link #release()}, so tests can fill a log's queue deterministically:
 * {@link #awaitBlocked} tells when the dispatcher is stuck inside a write.
 */
public final class BlockingSink extends ForwardingSink {
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch blocked = new CountDownLatch(1);

    /** Blocks writes to {@code delegate} until released. */
    public BlockingSink(AuditSink delegate) {
        super(delegate);
    }

    /** Lets every pending and future write through. */
    public void release() {
        released.countDown();
    }

    /** Waits until a write is blocked; returns false on timeout. */
    public boolean awaitBlocked(long timeout, TimeUnit unit) throws InterruptedException {
        return blocked.await(timeout, unit);
    }



    @Override
    protected String kind() {
        return "blocking";
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        blocked.countDown();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while blocked");
        }
        delegate.write(records);
    }

    @Override
    public void close() throws IOException {
        release(); // a blocked write must not outlive the sink
        super.close();
    }
}
