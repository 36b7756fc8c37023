package dev.auditlog.file;

import dev.auditlog.AuditEvent;
import dev.auditlog.spi.LogPruner;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores sealed records in append-only JSON Lines segment files under {@code <directory>/<logId>/}, one writer per
 * log directory (an OS file lock on {@code .lock}). The format is specified in {@code docs/FILE-FORMAT.md}; usage,
 * durability policies and recovery are described in {@code audit-file/README.md}.
 *
 * <pre>{@code
 * try (AuditLog log = AuditLog.builder().logId("orders")
 *         .sink(FileAuditSink.builder(Path.of("/var/log/audit")).build())
 *         .build()) { ... }
 * }</pre>
 *
 * <p>Or with a spec string: {@code AuditLog.builder().sink("file:/var/log/audit?durability=group_commit")}.
 *
 * <p>Durability on return from {@link #write(List)} depends on the {@link Durability} policy: with the default
 * {@link Durability#GROUP_COMMIT} the records were forced to stable storage. On {@link #open(String)} the last
 * segment is recovered: a torn or invalid last line is moved to a quarantine file and reported as a notice
 * ({@link #takeNotices()}); an invalid line followed by valid ones fails the open. A failed force abandons the
 * segment and the next write starts a new one.
 */
public final class FileAuditSink implements AuditSink {
    private final WriterConfig config;
    private LogWriter writer;
    private boolean closed;

    private FileAuditSink(WriterConfig config) {
        this.config = config;
    }

    /** A builder for a sink storing its logs under {@code directory} (created on open if missing, mode 0700). */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** The directory holding this sink's log directories. */
    public Path directory() {
        return config.directory();
    }

    /** The durability policy. */
    public Durability durability() {
        return config.durability();
    }

    /** {@code file:<directory>}. */
    @Override
    public String name() {
        return "file:" + config.directory();
    }

    /**
     * Takes the chain's lease (an OS lock on {@code directory/<chainId>/.lock}, released by the OS when the process
     * dies), registers the chain in {@code directory/.chains/}, recovers its last segment and returns the last valid
     * record's head.
     *
     * @throws dev.auditlog.spi.ChainLeaseException when another writer holds the chain (the message names it)
     * @throws IOException when the last segment is corrupted before its last line (the message names the file
     *                     and byte offset), or the storage cannot be opened
     * @throws IllegalStateException when this sink was already opened or closed
     */
    @Override
    public Optional<ChainHead> open(String logId) throws IOException {
        Objects.requireNonNull(logId, "logId");
        if (closed) {
            throw new IllegalStateException("file sink " + config.directory() + " is closed");
        }
        if (writer != null) {
            throw new IllegalStateException("file sink " + config.directory() + " is already open for log "
                    + "; a sink serves one log");
        }
        ChainIds.check(logId);
        writer = LogWriter.open(config, logId);
        try {
            ChainRegistry.register(config, logId);
        } catch (IOException | RuntimeException e) {
            writer.close();
            writer = null;
            throw e;
        }
        return writer.head();
    }

    /**
     * Appends the batch (records already stored with identical bytes are skipped) and forces it according to the
     * {@link Durability} policy; then rotates the segment if it is over its size or age.
     *
     * @throws IOException on a gap, on a stored record redelivered with different bytes, or when the batch could not
     *                     be written or forced (the segment is then abandoned; retry the same batch)
     * @throws IllegalStateException when the sink is closed or not open
     */
    @Override
    public void write(List<SealedRecord> records) throws IOException {
        Objects.requireNonNull(records, "records");
        if (closed) {
            throw new IllegalStateException("file sink " + config.directory() + " is closed: write rejected");
        }
        if (writer == null) {
            throw new IllegalStateException("file sink " + config.directory() + " is not open: call open(logId)");
        }
        writer.write(records);
    }

    /** Forces everything written so far (for {@link Durability#INTERVAL} and {@link Durability#NONE}). */
    @Override
    public void flush() throws IOException {
        if (writer != null && !closed) {
            writer.flush();
        }
    }

    /** Recovery and abandonment events for the log to record into its chain; returns them once. */
    @Override
    public List<AuditEvent> takeNotices() {
        return writer == null ? List.of() : writer.takeNotices();
    }

    /** True once after a segment was rotated, so that a checkpoint follows every segment footer. */
    @Override
    public boolean wantsCheckpoint() {
        return writer != null && writer.takeCheckpointWanted();
    }

    /** A {@link FileAuditReader} over this sink's directory. */
    @Override
    public Optional<AuditReader> reader() {
        return Optional.of(FileAuditReader.open(config.directory()));
    }

    /**
     * Retention: deletes whole old segments under a signed retention statement; see {@code AuditLog.prune} and
     * docs/FILE-FORMAT.md ("Retention").
     */
    @Override
    public Optional<LogPruner> pruner() {
        return Optional.of(new Retention(config.directory()));
    }

    /**
     * Forces what was written, releases the lock; idempotent. Does not rotate the segment (no footer): the next open
     * continues appending to it.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (writer != null) {
            writer.close();
        }
    }

    @Override
    public String toString() {
        return "FileAuditSink[" + config.directory() + ", " + config.durability() + "]";
    }

    /** Settings of a {@link FileAuditSink}. */
    public static final class Builder {
        /** The smallest segment size accepted, 4 KiB. */
        public static final long MIN_SEGMENT_SIZE = 4096;

        private final Path directory;
        private Durability durability = Durability.GROUP_COMMIT;
        private Duration forceInterval = Duration.ofSeconds(1);
        private long segmentSize = 64L * 1024 * 1024;
        private Duration segmentAge = Duration.ofDays(1);
        private boolean groupReadable;
        private Clock clock = Clock.systemUTC();
        private Forcer forcer = Forcer.DEFAULT;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The durability policy; default {@link Durability#GROUP_COMMIT}. */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** For {@link Durability#INTERVAL}: the least time between forces; default 1 s. */
        public Builder forceInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("forceInterval must be positive, was " + interval);
            }
            this.forceInterval = interval;
            return this;
        }

        /**
         * Rotate a segment once it holds at least this many bytes (checked after each batch, so a segment may exceed
         * it by one batch); default 64 MiB, at least {@value #MIN_SEGMENT_SIZE}.
         */
        public Builder segmentSize(long bytes) {
            if (bytes < MIN_SEGMENT_SIZE) {
                throw new IllegalArgumentException("segmentSize must be >= " + MIN_SEGMENT_SIZE + " bytes, was "
                        + bytes);
            }
            this.segmentSize = bytes;
            return this;
        }

        /** Rotate a segment once it is this old (checked after each batch); default 1 day. */
        public Builder segmentAge(Duration age) {
            Objects.requireNonNull(age, "age");
            if (age.isNegative() || age.isZero()) {
                throw new IllegalArgumentException("segmentAge must be positive, was " + age);
            }
            this.segmentAge = age;
            return this;
        }

        /**
         * Whether the owner's group may read the logs: directories 0750 and files 0640 instead of 0700 and 0600
         * (rotated segments 0440 instead of 0400). Ignored on file systems without POSIX permissions.
         */
        public Builder groupReadable(boolean groupReadable) {
            this.groupReadable = groupReadable;
            return this;
        }

        /** The clock for segment age and force intervals; default the system UTC clock. For tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Test seam: how segments are forced. */
        Builder forcer(Forcer forcer) {
            this.forcer = Objects.requireNonNull(forcer, "forcer");
            return this;
        }

        /** An unopened sink with these settings. */
        public FileAuditSink build() {
            return new FileAuditSink(new WriterConfig(directory, durability, forceInterval, segmentSize, segmentAge,
                    groupReadable, clock, forcer));
        }
    }
}
