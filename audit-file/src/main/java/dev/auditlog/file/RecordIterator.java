package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams the records of a log across its segments in constant memory. Header and seal lines are skipped; an
 * unterminated last line of a file (a torn write, never acknowledged) is skipped. Where a segment overlaps the next
 * one (after an abandoned segment, see docs/FILE-FORMAT.md), the next segment wins: the overlapping records of the
 * earlier segment are compared with it byte for byte and not returned; a difference is corruption.
 */
final class RecordIterator implements Iterator<SealedRecord>, Closeable {
    private final String logId;
    private final List<Segments.SegmentFile> files;
    private final long from;
    private int index;
    private LineReader current;
    private long boundary;
    private LineReader compare;
    private boolean compareExhausted;
    private SealedRecord next;
    private boolean done;

    public RecordIterator(String logId, List<Segments.SegmentFile> files, long from) {
        this.logId = logId;
        this.files = files;
        this.from = from;
        int start = 0;
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).first() <= from) {
                start = i;
            }
        }
        this.index = start;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = advance();
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException(e.getMessage(), e);
            }
            if (next == null) {
                done = true;
                closeQuietly();
            }
        }
        return next != null;
    }

    @Override
    public SealedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SealedRecord r = next;
        next = null;
        return r;
    }

    private SealedRecord advance() throws IOException {
        while (true) {
            if (current == null) {
                if (index >= files.size()) {
                    return null;
                }
                Segments.SegmentFile f = files.get(index);
                try {
                    current = new LineReader(f.path());
                } catch (NoSuchFileException e) {
                    index++; // pruned meanwhile
                    continue;
                }
                Segments.header(current, logId);
                boundary = index + 1 < files.size() ? files.get(index + 1).first() : Long.MAX_VALUE;
            }
            RawLine line = current.next();
            if (line == null) {
                current.close();
                current = null;
                closeCompare();
                index++;
                continue;
            }
            if (!line.terminated()) {
                continue; // torn last line: never acknowledged
            }
            RawLine.Kind kind = line.kind();
            if (kind == RawLine.Kind.SEGMENT_FOOTER) {
                continue;
            }
            SealedRecord r = parse(current, line);
            if (r.sequence() >= boundary) {
                checkOverlap(r, line);
                continue;
            }
            if (r.sequence() < from) {
                continue;
            }
            return r;
        }
    }

    private SealedRecord parse(LineReader reader, RawLine line) throws IOException {
        if (line.kind() != RawLine.Kind.RECORD) {
            throw new IOException(reader.path() + ": byte offset " + line.offset() + ": not a record line"
                    + (line.kind() == RawLine.Kind.SEGMENT_HEADER ? " (segment header in the middle of a file)" : ""));
        }
        SealedRecord r;
        try {
            r = SealedRecord.parse(line.bytes());
        } catch (RuntimeException e) {
            throw new IOException(reader.path() + ": byte offset " + line.offset() + ": " + e.getMessage(), e);
        }
        if (!r.logId().equals(logId)) {
            throw new IOException(reader.path() + ": byte offset " + line.offset() + ": record " + r.sequence()
                    + " belongs to log \"" + r.logId() + "\", expected \"" + logId + "\"");
        }
        return r;
    }

    /** An earlier segment's record that the next segment also holds must have identical bytes there. */
    private void checkOverlap(SealedRecord r, RawLine line) throws IOException {
        if (compareExhausted) {
            return;
        }
        Segments.SegmentFile nextFile = files.get(index + 1);
        if (compare == null) {
            compare = new LineReader(nextFile.path());
            Segments.header(compare, logId);
        }
        while (true) {
            RawLine c = compare.next();
            if (c == null || !c.terminated() || c.kind() == RawLine.Kind.SEGMENT_FOOTER) {
                compareExhausted = true; // the later segment does not hold it (yet): an unacknowledged leftover
                return;
            }
            SealedRecord other = parse(compare, c);
            if (other.sequence() < r.sequence()) {
                continue;
            }
            if (other.sequence() > r.sequence()) {
                compareExhausted = true;
                return;
            }
            if (!Arrays.equals(other.line(), line.bytes())) {
                throw new IOException(current.path() + ": byte offset " + line.offset() + ": record " + r.sequence()
                        + " of an abandoned segment differs from its copy in " + nextFile.name() + " at byte offset "
                        + c.offset() + " (same sequence, different bytes: corruption or tampering)");
            }
            return;
        }
    }

    private void closeCompare() throws IOException {
        compareExhausted = false;
        if (compare != null) {
            compare.close();
            compare = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (IOException ignored) {
            // read-only channel
        }
        current = null;
        try {
            closeCompare();
        } catch (IOException ignored) {
            // read-only channel
        }
        done = true;
    }
}
