package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The lines of a segment file in order, with every complete record line already parsed (layout, canonical form and
 * leaf hash: the costly part of verifying, a SHA-256 pass over its bytes) on worker threads, a few chunks ahead of
 * the reader, so that verification uses every core while the chain itself is still checked in order, on one thread.
 * The reading thread only reads large chunks and finds the last line break in each; splitting a chunk into lines,
 * parsing and hashing happen on the workers, and each record copies its bytes out of the chunk once.
 * Memory stays bounded: at most {@link #DEPTH} chunks of {@link #CHUNK} bytes are in flight (a longer line grows its
 * chunk, up to {@link LineReader#MAX_LINE}).
 */
final class ParsedLines implements Iterator<ParsedLines.Parsed>, Closeable {
    static final int CHUNK = 256 * 1024;
    static final int DEPTH = 8;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';
    private static final byte[] RECOVERED = "\"action\":\"audit.file.recovered\""
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_PREFIX = "{\"v\":".getBytes(StandardCharsets.US_ASCII);

    /**
     * One line, and for a complete record line its parsed record or why it is not one.
     *
     * @param offset     byte offset of the line in the file
     * @param kind       the line's kind, from its prefix
     * @param terminated whether the line ends with a line break
     * @param raw        the line's bytes; null for a line that parsed as a record (its record holds them)
     * @param record     the record, or null
     * @param problem    why a complete record line is not a record, or null
     * @param recovered  whether the record's head holds the action of the file sink's recovery event
     */
    record Parsed(long offset, RawLine.Kind kind, boolean terminated, RawLine raw, SealedRecord record,
                  String problem, boolean recovered) {
        /** The line as stored (a copy of the record's bytes for a parsed record). */
        RawLine line() {
            return raw != null ? raw : new RawLine(offset, record.line(), true);
        }

        /** The line's length without its terminator. */
        int length() {
            return raw != null ? raw.bytes().length : record.lineLength();
        }
    }

    /** Worker threads for parsing; daemons, so that a verifier never keeps a JVM alive. Close when done. */
    static final class Workers implements Closeable {
        private final ExecutorService pool;

        Workers() {
            int n = Math.min(Runtime.getRuntime().availableProcessors(), 4);
            pool = n < 2 ? null : Executors.newFixedThreadPool(n, r -> {
                Thread t = new Thread(r, "auditlog-verify-parse");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /** A chunk handed to a worker, and the buffer to reuse once its lines are parsed. */
    private record Batch(Future<List<Parsed>> lines, byte[] buffer) {
    }

    private final Path path;
    private final FileChannel channel;
    private final Workers workers;
    private final ArrayDeque<Batch> ahead = new ArrayDeque<>();
    /** Buffers of {@link #CHUNK} bytes whose lines have all been parsed, for the next reads. */
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();
    private Iterator<Parsed> current = List.<Parsed>of().iterator();
    /** The bytes after the last line break read so far: the start of the next line. */
    private byte[] carry = new byte[0];
    private int carryLength;
    /** File offset of the next byte to read. */
    private long position;
    private boolean eof;

    ParsedLines(Path file, Workers workers) throws IOException {
        this.path = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.workers = workers;
    }

    @Override
    public boolean hasNext() {
        try {
            while (!current.hasNext()) {
                fill();
                if (ahead.isEmpty()) {
                    return false;
                }
                Batch b = ahead.removeFirst();
                current = b.lines().get().iterator();
                if (b.buffer().length == CHUNK) {
                    free.addLast(b.buffer());
                }
            }
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(new InterruptedIOException("interrupted while verifying"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("parsing a chunk of lines failed", e.getCause());
        }
    }

    @Override
    public Parsed next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    private void fill() throws IOException {
        while (!eof && ahead.size() < DEPTH) {
            readChunk();
        }
    }

    /** Reads the next chunk: whole lines go to a worker, the bytes after the last line break are carried over. */
    private void readChunk() throws IOException {
        // A line longer than a chunk doubles its buffer until it fits (or breaks the line length limit).
        int size = carryLength < CHUNK / 2 ? CHUNK : (int) Math.min((long) carryLength * 2, LineReader.MAX_LINE + 1L);
        byte[] buf = size == CHUNK && !free.isEmpty() ? free.removeFirst() : new byte[size];
        System.arraycopy(carry, 0, buf, 0, carryLength);
        long start = position - carryLength;
        int length = carryLength;
        ByteBuffer into = ByteBuffer.wrap(buf);
        while (length < buf.length) {
            into.limit(buf.length).position(length);
            int n = channel.read(into);
            if (n < 0) {
                eof = true;
                break;
            }
            length += n;
            position += n;
        }
        int last = length - 1;
        while (last >= 0 && buf[last] != '\n') {
            last--;
        }
        int whole = last + 1; // bytes of complete lines
        int rest = length - whole;
        if (whole == 0 && !eof) {
            if (rest > LineReader.MAX_LINE) {
                throw new IOException(path + ": line at byte offset " + start + " is longer than "
                        + LineReader.MAX_LINE + " bytes (not a record: corrupted file?)");
            }
            carry = buf;
            carryLength = rest;
            return;
        }
        if (rest > LineReader.MAX_LINE) {
            throw new IOException(path + ": line at byte offset " + (start + whole) + " is longer than "
                    + LineReader.MAX_LINE + " bytes (not a record: corrupted file?)");
        }
        byte[] tail = eof ? Arrays.copyOfRange(buf, whole, length) : null;
        if (!eof) {
            if (carry.length < rest || carry.length > CHUNK) {
                carry = new byte[Math.max(rest, 1024)];
            }
            System.arraycopy(buf, whole, carry, 0, rest);
            carryLength = rest;
        } else {
            carryLength = 0;
        }
        if (whole > 0) {
            submit(buf, whole, start);
        }
        if (tail != null && tail.length > 0) {
            // A last line without a terminator: a torn write, reported by the walk.
            RawLine torn = new RawLine(start + whole, tail, false);
            ahead.addLast(new Batch(CompletableFuture.completedFuture(List.of(parsedUnterminated(torn))),
                    new byte[0]));
        }
    }

    private void submit(byte[] buf, int length, long start) {
        Future<List<Parsed>> lines = workers.pool == null
                ? CompletableFuture.completedFuture(parse(buf, length, start))
                : workers.pool.submit(() -> parse(buf, length, start));
        ahead.addLast(new Batch(lines, buf));
    }

    private static Parsed parsedUnterminated(RawLine line) {
        return new Parsed(line.offset(), line.kind(), false, line, null, null, false);
    }

    /** Splits {@code buf[0, length)}, which ends with a line break, into lines and parses the record lines. */
    private static List<Parsed> parse(byte[] buf, int length, long start) {
        List<Parsed> out = new ArrayList<>(length / 512 + 16);
        int from = 0;
        while (from < length) {
            int to = lineBreak(buf, from, length);
            out.add(parseLine(buf, from, to, start + from));
            from = to + 1;
        }
        return out;
    }

    private static Parsed parseLine(byte[] buf, int from, int to, long offset) {
        int n = to - from;
        if (n >= RECORD_PREFIX.length && Arrays.equals(buf, from, from + RECORD_PREFIX.length, RECORD_PREFIX, 0,
                RECORD_PREFIX.length)) {
            try {
                SealedRecord r = SealedRecord.parse(buf, from, n);
                boolean recovered = r.type().equals(SealedRecord.TYPE_EVENT) && containsRecovered(buf, from, to);
                return new Parsed(offset, RawLine.Kind.RECORD, true, null, r, null, recovered);
            } catch (IllegalArgumentException e) {
                return new Parsed(offset, RawLine.Kind.RECORD, true, raw(buf, from, to, offset), null,
                        e.getMessage(), false);
            }
        }
        RawLine line = raw(buf, from, to, offset);
        return new Parsed(offset, line.kind(), true, line, null, null, false);
    }

    private static RawLine raw(byte[] buf, int from, int to, long offset) {
        return new RawLine(offset, Arrays.copyOfRange(buf, from, to), true);
    }

    /** The index of the first {@code '\n'} in {@code buf[from, limit)}; there is one before {@code limit}. */
    private static int lineBreak(byte[] buf, int from, int limit) {
        int i = from;
        while (i + 8 <= limit) {
            long x = (long) LONGS.get(buf, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        while (buf[i] != '\n') {
            i++;
        }
        return i;
    }

    /**
     * Whether the action member of the file sink's recovery event appears in the line's first 512 bytes (the action
     * comes early in an event). Horspool's search: most windows are skipped without reading them whole.
     */
    static boolean containsRecovered(byte[] hay, int from, int to) {
        int limit = Math.min(to, from + 512);
        int m = RECOVERED.length;
        byte lastByte = RECOVERED[m - 1];
        for (int i = from; i + m <= limit; ) {
            byte c = hay[i + m - 1];
            if (c == lastByte && Arrays.equals(hay, i, i + m, RECOVERED, 0, m)) {
                return true;
            }
            i += SKIP[c & 0xFF];
        }
        return false;
    }

    private static final int[] SKIP = new int[256];

    static {
        int m = RECOVERED.length;
        Arrays.fill(SKIP, m);
        for (int i = 0; i < m - 1; i++) {
            SKIP[RECOVERED[i] & 0xFF] = m - 1 - i;
        }
    }

    @Override
    public void close() throws IOException {
        for (Batch b : ahead) {
            b.lines().cancel(false);
        }
        ahead.clear();
        channel.close();
    }
}
