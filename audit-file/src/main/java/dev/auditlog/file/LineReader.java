package dev.auditlog.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Reads the raw lines of a file with their byte offsets, in constant memory (one line at a time). */
final class LineReader implements Closeable {
    /** A line longer than this is corruption, not a record. */
    public static final int MAX_LINE = 16 * 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private long bufferOffset; // file offset of buffer position 0
    private boolean eof;
    private RawLine peeked;

    public LineReader(Path path) throws IOException {
        this(path, 0);
    }

    /** Starts reading at {@code offset}, which must be the start of a line. */
    public LineReader(Path path, long offset) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        channel.position(offset);
        bufferOffset = offset;
        buffer.limit(0);
    }

    public Path path() {
        return path;
    }

    /** True when another line follows. */
    public boolean hasNext() throws IOException {
        if (peeked == null) {
            peeked = read();
        }
        return peeked != null;
    }

    /** The next line, or null at the end of the file. */
    public RawLine next() throws IOException {
        if (peeked != null) {
            RawLine l = peeked;
            peeked = null;
            return l;
        }
        return read();
    }

    private RawLine read() throws IOException {
        byte[] acc = null;
        int accLen = 0;
        long start = bufferOffset + buffer.position();
        while (true) {
            if (!buffer.hasRemaining()) {
                if (eof || !fill()) {
                    if (accLen == 0) {
                        return null;
                    }
                    return new RawLine(start, Arrays.copyOf(acc, accLen), false);
                }
            }
            int pos = buffer.position();
            int lim = buffer.limit();
            byte[] a = buffer.array();
            int nl = -1;
            for (int i = pos; i < lim; i++) {
                if (a[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl >= 0 && acc == null) {
                // The whole line is in the buffer: one copy, straight into a line of its own size.
                buffer.position(nl + 1);
                return new RawLine(start, Arrays.copyOfRange(a, pos, nl), true);
            }
            int end = nl < 0 ? lim : nl;
            int chunk = end - pos;
            if ((long) accLen + chunk > MAX_LINE) {
                throw new IOException(path + ": line at byte offset " + start + " is longer than " + MAX_LINE
                        + " bytes (not a record: corrupted file?)");
            }
            if (acc == null) {
                acc = new byte[Math.max(chunk, 256)];
            } else if (acc.length < accLen + chunk) {
                acc = Arrays.copyOf(acc, Math.max(acc.length * 2, accLen + chunk));
            }
            System.arraycopy(a, pos, acc, accLen, chunk);
            accLen += chunk;
            if (nl >= 0) {
                buffer.position(nl + 1);
                return new RawLine(start, Arrays.copyOf(acc, accLen), true);
            }
            buffer.position(lim);
        }
    }

    private boolean fill() throws IOException {
        bufferOffset += buffer.limit();
        buffer.clear();
        int n;
        do {
            n = channel.read(buffer);
        } while (n == 0);
        buffer.flip();
        if (n < 0) {
            eof = true;
            return false;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
