package dev.auditlog.file;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Forces the segment being written on a thread of its own every {@link #DEFAULT_BYTES} written, under the
 * durability policies whose forces are far apart ({@link Durability#NONE}: only when a segment is sealed;
 * {@link Durability#INTERVAL}). Without it the kernel holds most of a segment unwritten until the sealing force,
 * which then waits for all of it while the dispatcher stands still (45 ms for 64 MiB on the benchmark machine's disk,
 * every 0.3 s at 200 MB/s). These forces promise nothing: a record counts as forced only after the writer's own
 * force ({@link ForceSchedule}). That force first waits for one in flight here and fails if one failed since, because
 * after a failed fsync the kernel may mark the unwritten pages clean and a later fsync succeed.
 *
 * <p>Used by one writer's thread; the forces run on a daemon thread made at the first one.
 */
final class WriteBehind {
    static final long DEFAULT_BYTES = 8L << 20;

    private final Forcer forcer;
    private final long every;
    private final String name;
    private ExecutorService thread;
    private Future<?> inFlight;
    private long unforcedBytes;
    /** Written by the force thread, read by the writer's: seen once {@link #inFlight} is done. */
    private volatile Exception failure;

    WriteBehind(Forcer forcer, long every, String name) {
        if (every <= 0) {
            throw new IllegalArgumentException("every must be positive, was " + every);
        }
        this.forcer = forcer;
        this.every = every;
        this.name = name;
    }

    /**
     * {@code bytes} more were written to {@code channel}; starts a force of it when a share's worth is unforced and
     * no force is in flight.
     */
    void written(FileChannel channel, Path file, long bytes) {
        unforcedBytes += bytes;
        if (unforcedBytes < every || inFlight != null && !inFlight.isDone()) {
            return;
        }
        unforcedBytes = 0;
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "auditlog-file-writeback-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        inFlight = thread.submit(() -> {
            try {
                forcer.force(channel, file);
            } catch (ClosedChannelException e) {
                // the writer closed the segment: after its own force (sealed), or giving it up (abandoned)
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        });
    }

    /**
     * Before the writer's own force: waits for a force in flight, and throws when one failed since the last call.
     * Afterwards nothing is in flight until the next {@link #written}.
     */
    void settle() throws IOException {
        awaitInFlight();
        Exception e = failure;
        if (e != null) {
            failure = null;
            throw new IOException("a background force of the segment failed (" + e + "): what was written since"
                    + " the last force may not be on the disk", e);
        }
    }

    /**
     * The segment was sealed or given up: what its background forces did no longer matters (an abandoned segment's
     * unforced records are written again elsewhere). Waits for a force in flight, so that none outlives its segment.
     */
    void forget() {
        try {
            awaitInFlight();
        } catch (InterruptedIOException e) {
            // the interrupt is set again; the segment is done with either way
        }
        failure = null;
    }

    /** Waits for a force in flight, if any; afterwards none is, and the count toward the next starts again. */
    private void awaitInFlight() throws InterruptedIOException {
        Future<?> f = inFlight;
        inFlight = null;
        unforcedBytes = 0;
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a background force of the segment");
        } catch (ExecutionException e) {
            failure = e; // not thrown by the task, which catches what it can
        }
    }

    /** Stops the force thread once a force in flight ends. */
    void close() {
        if (thread != null) {
            thread.shutdown();
        }
    }
}
