package dev.auditlog.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Abandoned segments (a force or write failed on them, and a failed fsync is never retried on the same file): the
 * marker beside one that keeps every later writer off it, moving one that holds nothing acknowledged out of the log,
 * and the header link the next segment gives one.
 */
final class Abandonment {
    /** {@link #firstUnforced(Path)} of a segment without a marker. */
    static final long NOT_ABANDONED = Long.MAX_VALUE;

    private Abandonment() {
    }

    /** A segment never to be appended to again, and its header's link to the segment before it. */
    record Abandoned(Segments.SegmentFile file, Optional<Segment.Previous> previous) {
    }

    static Path marker(Path segment) {
        return segment.resolveSibling(segment.getFileName() + ".abandoned");
    }

    /**
     * The first unforced sequence its marker states, {@link #NOT_ABANDONED} without a marker; a marker that cannot
     * be read means "all of it" (0).
     */
    static long firstUnforced(Path segment) {
        Path marker = marker(segment);
        if (!Files.exists(marker)) {
            return NOT_ABANDONED;
        }
        try {
            return Long.parseLong(Files.readString(marker).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Writes the marker, durably; best effort, since this process never writes to the segment again anyway. */
    static void mark(Path segment, long firstUnforced, Path logDir, String filePerms) {
        try {
            Path marker = marker(segment);
            Files.writeString(marker, Long.toString(firstUnforced));
            Fs.permissions(marker, filePerms);
            Fs.fsyncDirectory(logDir);
        } catch (IOException ignored) {
            // a restart may then append to it; the failed force already reported the segment
        }
    }

    /** Moves a segment holding nothing acknowledged out of the log, so that its successor can take its name. */
    static void moveAside(Path segment, long millis, Path logDir) throws IOException {
        Path aside = segment.resolveSibling(segment.getFileName() + ".abandoned-" + millis);
        Files.move(segment, aside, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(marker(segment));
        Fs.fsyncDirectory(logDir);
    }

    /**
     * The next segment's header link to an abandoned segment, from the file as it is now: the link continues the
     * chain at {@code lastSequence}, while the count and digest cover the whole file, overlap included.
     */
    static Segment.Previous link(Path segment, long lastSequence, byte[] lastChain) throws IOException {
        MessageDigest digest = SegmentFormat.sha256();
        RecordLineCounter counter = new RecordLineCounter();
        try (InputStream in = Files.newInputStream(segment)) {
            byte[] b = new byte[64 * 1024];
            int n;
            while ((n = in.read(b)) > 0) {
                digest.update(b, 0, n);
                counter.feed(b, n);
            }
        }
        return new Segment.Previous(segment.getFileName().toString(), lastSequence,
                SegmentFormat.HEX.formatHex(lastChain), counter.records, SegmentFormat.HEX.formatHex(digest.digest()));
    }

    /** Counts complete lines that start like a record ({@code {"v":}), streaming, whatever their length. */
    private static final class RecordLineCounter {
        private static final byte[] PREFIX = {'{', '"', 'v', '"', ':'};
        long records;
        private boolean lineStart = true;
        private boolean isRecord;
        private int prefixSeen;

        void feed(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                byte c = b[i];
                if (lineStart) {
                    prefixSeen = 0;
                    isRecord = true;
                    lineStart = false;
                }
                if (c == '\n') {
                    if (isRecord && prefixSeen >= PREFIX.length) {
                        records++;
                    }
                    lineStart = true;
                } else if (prefixSeen < PREFIX.length) {
                    if (c == PREFIX[prefixSeen]) {
                        prefixSeen++;
                    } else {
                        isRecord = false;
                        prefixSeen = PREFIX.length;
                    }
                }
            }
        }
    }
}
