package dev.auditlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/** Finds the segment files of a log directory and reads their headers. */
final class Segments {
    private Segments() {
    }

    /** A segment on disk: its file and the first sequence its name declares. The module's one name for it. */
    public record SegmentFile(Path path, long first) {
        public String name() {
            return path.getFileName().toString();
        }
    }

    /** The segment files of a log directory, ordered by first sequence; empty when the directory does not exist. */
    public static List<SegmentFile> list(Path logDir) throws IOException {
        List<SegmentFile> files = new ArrayList<>();
        if (!Files.isDirectory(logDir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(logDir, "*" + SegmentFormat.SUFFIX)) {
            for (Path p : ds) {
                OptionalLong first = SegmentFormat.firstOf(p.getFileName().toString());
                if (first.isPresent() && Files.isRegularFile(p)) {
                    files.add(new SegmentFile(p, first.getAsLong()));
                }
            }
        } catch (NoSuchFileException e) {
            return files;
        }
        files.sort(Comparator.comparingLong(SegmentFile::first));
        return files;
    }

    /** Reads and checks the header line of a segment. */
    public static SegmentFormat.Header header(Path file, String expectedLogId) throws IOException {
        try (LineReader r = new LineReader(file)) {
            return header(r, expectedLogId);
        }
    }

    /** Reads and checks the header line from a reader positioned at the start of the file. */
    static SegmentFormat.Header header(LineReader r, String expectedLogId) throws IOException {
        Path file = r.path();
        RawLine line = r.next();
        if (line == null) {
            throw new IOException(file + ": empty segment file, expected a segment header at byte offset 0");
        }
        if (!line.terminated()) {
            throw new IOException(file + ": segment header at byte offset 0 is incomplete (no line terminator)");
        }
        SegmentFormat.Header h;
        try {
            h = SegmentFormat.parseHeader(line.bytes());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": byte offset 0: " + e.getMessage());
        }
        OptionalLong named = SegmentFormat.firstOf(file.getFileName().toString());
        if (named.isPresent() && named.getAsLong() != h.first()) {
            throw new IOException(file + ": byte offset 0: header says first record " + h.first()
                    + " but the file name says " + named.getAsLong());
        }
        if (expectedLogId != null && !h.logId().equals(expectedLogId)) {
            throw new IOException(file + ": byte offset 0: header names log \"" + h.logId() + "\", expected \""
                    + expectedLogId + "\"");
        }
        if (h.previous().isPresent() && h.previous().get().lastSequence() + 1 != h.first()) {
            throw new IOException(file + ": byte offset 0: header previous.lastSequence "
                    + h.previous().get().lastSequence() + " does not precede first " + h.first());
        }
        return h;
    }

    /** Describes a segment: its header, and whether its last line is a footer line. */
    public static Segment describe(Path file, String expectedLogId) throws IOException {
        SegmentFormat.Header h = header(file, expectedLogId);
        return new Segment(file, h.logId(), h.first(), h.previous(), endsWithFooter(file));
    }

    /** Whether the last complete line of the file starts like a footer line (its content is not checked here). */
    static boolean endsWithFooter(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int n = (int) Math.min(size, 2048);
            ByteBuffer b = ByteBuffer.allocate(n);
            long pos = size - n;
            while (b.hasRemaining()) {
                int r = ch.read(b, pos + b.position());
                if (r < 0) {
                    break;
                }
            }
            byte[] a = b.array();
            if (n == 0 || a[n - 1] != '\n') {
                return false;
            }
            int start = n - 1;
            while (start > 0 && a[start - 1] != '\n') {
                start--;
            }
            byte[] prefix = ("{\"" + SegmentFormat.FOOTER_KEY + "\":").getBytes(StandardCharsets.US_ASCII);
            return n - 1 - start >= prefix.length
                    && Arrays.equals(a, start, start + prefix.length, prefix, 0, prefix.length);
        }
    }
}
