package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The lines of a segment file in order, with every complete record line already parsed (layout, canonical form and
 * leaf hash: the costly part of verifying, a SHA-256 pass over its bytes) on worker threads, a few batches ahead of
 * the reader, so that verification uses every core while the chain itself is still checked in order, on one thread.
 * Memory stays bounded: at most {@link #DEPTH} batches of {@link #BATCH} lines are in flight.
 */
final class ParsedLines implements Iterator<ParsedLines.Parsed>, Closeable {
    static final int BATCH = 256;
    static final int DEPTH = 8;

    /**
     * One line, and for a complete record line its parsed record or why it is not one.
     *
     * @param record  the record, or null
     * @param problem why a complete record line is not a record, or null
     */
    record Parsed(RawLine line, SealedRecord record, String problem) {
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

    private final LineReader reader;
    private final Workers workers;
    private final ArrayDeque<Future<List<Parsed>>> ahead = new ArrayDeque<>();
    private Iterator<Parsed> current = List.<Parsed>of().iterator();
    private boolean eof;

    ParsedLines(Path file, Workers workers) throws IOException {
        this.reader = new LineReader(file);
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
                current = ahead.removeFirst().get().iterator();
            }
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(new InterruptedIOException("interrupted while verifying"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("parsing a batch of lines failed", e.getCause());
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
            List<RawLine> batch = new ArrayList<>(BATCH);
            RawLine line;
            while (batch.size() < BATCH && (line = reader.next()) != null) {
                batch.add(line);
            }
            eof = batch.size() < BATCH;
            if (batch.isEmpty()) {
                return;
            }
            if (workers.pool == null) {
                ahead.addLast(java.util.concurrent.CompletableFuture.completedFuture(parse(batch)));
            } else {
                ahead.addLast(workers.pool.submit(() -> parse(batch)));
            }
        }
    }

    private static List<Parsed> parse(List<RawLine> batch) {
        List<Parsed> out = new ArrayList<>(batch.size());
        for (RawLine line : batch) {
            if (line.kind() != RawLine.Kind.RECORD || !line.terminated()) {
                out.add(new Parsed(line, null, null));
                continue;
            }
            try {
                out.add(new Parsed(line, SealedRecord.parse(line.bytes()), null));
            } catch (IllegalArgumentException e) {
                out.add(new Parsed(line, null, e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (Future<List<Parsed>> f : ahead) {
            f.cancel(false);
        }
        ahead.clear();
        reader.close();
    }
}
