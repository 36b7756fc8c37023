package dev.auditlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Moves a bad last line of a segment aside: its exact bytes go to {@code <segment>.quarantine-<offset>}, forced,
 * and only then is the segment truncated before it and forced, so that the bytes are never only gone.
 */
final class Quarantine {
    private Quarantine() {
    }

    /** The bytes the line occupies in the file, its {@code '\n'} included when it has one. */
    static byte[] storedBytes(RawLine line) {
        byte[] bytes = line.bytes();
        if (line.terminated()) {
            bytes = Arrays.copyOf(bytes, bytes.length + 1);
            bytes[bytes.length - 1] = '\n';
        }
        return bytes;
    }

    /** Quarantines {@code bytes}, found at {@code offset} of {@code segment}; returns the quarantine file. */
    static Path moveAside(Path segment, long offset, byte[] bytes, Path logDir, String filePerms) throws IOException {
        Path q = segment.resolveSibling(segment.getFileName() + ".quarantine-" + offset);
        try (FileChannel out = FileChannel.open(q, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Fs.permissions(q, filePerms);
            Fs.writeFully(out, ByteBuffer.wrap(bytes));
            out.force(true);
        }
        Fs.fsyncDirectory(logDir);
        try (FileChannel seg = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            seg.truncate(offset);
            seg.force(true);
        }
        return q;
    }
}
