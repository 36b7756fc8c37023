package dev.auditlog.teststore;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainLeaseException;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A deliberately small sink: each log is one file {@code <dir>/<logId>.records} holding the record lines, each
 * followed by {@code '\n'}, forced to disk on every write. It overrides nothing but what {@link AuditSink} requires,
 * so that whatever the rest of the project does with it comes from the SPI alone.
 */
public final class DirStore implements AuditSink {
    static final String SUFFIX = ".records";

    private final Path dir;
    private FileChannel channel;
    private Path file;
    private long next;
    private boolean closed;

    public DirStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    @Override
    public String name() {
        return "dirstore:" + dir;
    }

    @Override
    public Optional<ChainHead> open(String logId) throws IOException {
        Files.createDirectories(dir);
        file = dir.resolve(ChainIds.check(logId) + SUFFIX);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        // the chain's lease: an OS lock on its file, which the OS drops when the process dies
        java.nio.channels.FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new ChainLeaseException(logId, "another writer", "lock on " + file);
        }
        channel = ch;
        List<SealedRecord> stored = DirStoreReader.records(file);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        SealedRecord last = stored.get(stored.size() - 1);
        next = last.sequence() + 1;
        return Optional.of(ChainHead.of(last.sequence(), last.chainHash()));
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        if (channel == null) {
            throw new IllegalStateException(name() + " is not open");
        }
        for (SealedRecord r : records) {
            if (r.sequence() < next) {
                List<SealedRecord> stored = DirStoreReader.records(file); // a redelivery: rare, so no index
                if (!Arrays.equals(stored.get((int) r.sequence()).line(), r.line())) {
                    throw new IOException(file + ": record " + r.sequence() + " is stored with different bytes");
                }
                continue;
            }
            if (r.sequence() > next) {
                throw new IOException(file + ": gap, expected record " + next + ", got " + r.sequence());
            }
            byte[] line = Arrays.copyOf(r.line(), r.lineLength() + 1);
            line[line.length - 1] = '\n';
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            next++;
        }
        channel.force(false);
    }

    @Override
    public Optional<AuditReader> reader() {
        return Optional.of(new DirStoreReader(dir));
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }
}
