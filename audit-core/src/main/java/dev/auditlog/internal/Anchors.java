package dev.auditlog.internal;

import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.spi.CheckpointAnchor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/** The built-in {@link CheckpointAnchor}s. */
public final class Anchors {
    private Anchors() {
    }

    public static CheckpointAnchor directory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new CheckpointAnchor() {
            @Override
            public String name() {
                return "dir:" + dir;
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) throws IOException {
                Files.createDirectories(dir);
                Path target = dir.resolve(RecordFormat.checkLogId(logId) + ".checkpoint");
                Optional<String> previous = latest(logId);
                if (previous.isPresent()) {
                    long before = sizeOf(previous.get());
                    long now = sizeOf(signedCheckpoint);
                    if (now < before) {
                        throw new IOException("anchor " + target + " holds a checkpoint of size " + before
                                + "; refusing to replace it with the smaller size " + now);
                    }
                }
                Path tmp = dir.resolve("." + logId + ".checkpoint.tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(signedCheckpoint.getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }

            @Override
            public Optional<String> latest(String logId) throws IOException {
                Path target = dir.resolve(RecordFormat.checkLogId(logId) + ".checkpoint");
                if (!Files.exists(target)) {
                    return Optional.empty();
                }
                return Optional.of(Files.readString(target, StandardCharsets.UTF_8));
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }

    /** The tree size of a signed checkpoint, read from its text without checking the signature. */
    static long sizeOf(String signedCheckpoint) throws IOException {
        int end = signedCheckpoint.indexOf("\n\n");
        if (end < 0) {
            throw new IOException("not a signed note: no blank line before the signatures");
        }
        try {
            return Checkpoint.parse(signedCheckpoint.substring(0, end + 1)).size();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a checkpoint: " + e.getMessage(), e);
        }
    }

    public static CheckpointAnchor stdout() {
        return new CheckpointAnchor() {
            @Override
            public String name() {
                return "stdout";
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) {
                System.out.print("auditlog checkpoint " + logId + "\n" + signedCheckpoint + "\n");
                System.out.flush();
            }
        };
    }
}
