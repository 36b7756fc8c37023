package dev.auditlog.file;

import dev.auditlog.spi.ChainLeaseException;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The lease of a chain: an OS file lock on {@code .lock} in the chain's directory, which names its holder. The OS
 * releases it when the process dies, however it dies.
 */
final class DirLock implements Closeable {
    static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirLock acquire(Path logDir, String filePerms) throws IOException {
        Path file = logDir.resolve(FILE);
        boolean created = !Files.exists(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            if (created) {
                Fs.permissions(file, filePerms);
            }
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            String holder;
            try {
                holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                holder = "unknown (" + e + ")";
            }
            throw new ChainLeaseException(logDir.getFileName().toString(), holder.isEmpty() ? "an unknown holder"
                    : holder, "lock file " + file.toAbsolutePath());
        }
        try {
            byte[] who = (ChainLeaseException.describeThisProcess(logDir.getFileName().toString(), Instant.now())
                    + "\n").getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ByteBuffer b = ByteBuffer.wrap(who);
            long pos = 0;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
            ch.force(false);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new DirLock(ch, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
