package dev.auditlog.spi;

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
final class Anchors {
    private Anchors() {
    }

    static CheckpointAnchor directory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new CheckpointAnchor() {
            @Override
            public String name() {
                return "dir:" + dir;
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) throws IOException {
                keep(logId, ".checkpoint", signedCheckpoint, latest(logId));
            }

            @Override
            public void anchorRetention(String logId, String signedStatement) throws IOException {
                keep(logId, ".retention", signedStatement, latestRetention(logId));
            }

            @Override
            public Optional<String> latestRetention(String logId) throws IOException {
                Path target = dir.resolve(ChainIds.check(logId) + ".retention");
                if (!Files.exists(target)) {
                    return Optional.empty();
                }
                return Optional.of(Files.readString(target, StandardCharsets.UTF_8));
            }

            private void keep(String logId, String suffix, String signedCheckpoint, Optional<String> previous)
                    throws IOException {
                PrivateFiles.createDirectories(dir); // 0700, whatever the umask
                Path target = dir.resolve(ChainIds.check(logId) + suffix);
                if (previous.isPresent()) {
                    long before = sizeOf(previous.get());
                    long now = sizeOf(signedCheckpoint);
                    if (now < before) {
                        throw new IOException("anchor " + target + " holds a checkpoint of size " + before
                                + "; refusing to replace it with the smaller size " + now);
                    }
                }
                Path tmp = dir.resolve("." + logId + suffix + ".tmp");
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    PrivateFiles.restrictFile(tmp); // 0600 before anything is written
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
                Path target = dir.resolve(ChainIds.check(logId) + ".checkpoint");
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

    /**
     * The tree size of a signed checkpoint: the second line of its note text (C2SP tlog-checkpoint), read without
     * checking the signature; the verifier checks that.
     */
    static long sizeOf(String signedCheckpoint) throws IOException {
        int first = signedCheckpoint.indexOf('\n');
        int second = first < 0 ? -1 : signedCheckpoint.indexOf('\n', first + 1);
        if (second < 0 || signedCheckpoint.indexOf("\n\n") < 0) {
            throw new IOException("not a signed checkpoint: expected origin and size lines, then signatures");
        }
        String size = signedCheckpoint.substring(first + 1, second);
        if (size.isEmpty() || size.length() > 19 || !size.chars().allMatch(c -> c >= '0' && c <= '9')
                || (size.length() > 1 && size.charAt(0) == '0')) {
            throw new IOException("not a signed checkpoint: the tree size line is not a decimal without leading zeros");
        }
        try {
            return Long.parseLong(size);
        } catch (NumberFormatException e) {
            throw new IOException("not a signed checkpoint: the tree size is out of range");
        }
    }

    static CheckpointAnchor stdout() {
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

            @Override
            public void anchorRetention(String logId, String signedStatement) {
                System.out.print("auditlog retention " + logId + "\n" + signedStatement + "\n");
                System.out.flush();
            }
        };
    }
}
