package dev.auditlog;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A sink that keeps records in this JVM's memory, for tests and examples. "Durable" here means: held by this
 * sink's storage until the JVM exits, and visible to every sink {@link #reopen() reopened} on the same storage.
 * It enforces the sink contract strictly (contiguous sequences, identical bytes on redelivery), so it is also a
 * reference for sink authors. Spec string: {@code memory:}.
 */
public final class MemorySink implements AuditSink {
    private final Map<String, List<SealedRecord>> storage;
    private String logId;
    private volatile boolean closed;

    /** A sink over new, empty storage. */
    public MemorySink() {
        this(new ConcurrentHashMap<>());
    }

    private MemorySink(Map<String, List<SealedRecord>> storage) {
        this.storage = storage;
    }

    /** A new, unopened sink over the same storage, as if the process had reopened a file. */
    public MemorySink reopen() {
        return new MemorySink(storage);
    }

    @Override
    public String name() {
        return "memory:";
    }

    @Override
    public Optional<ChainHead> open(String logId) {
        this.logId = Objects.requireNonNull(logId, "logId");
        if (closed) {
            throw new IllegalStateException("memory sink is closed");
        }
        List<SealedRecord> records = storage.computeIfAbsent(logId, id -> new ArrayList<>());
        synchronized (records) {
            if (records.isEmpty()) {
                return Optional.empty();
            }
            SealedRecord last = records.get(records.size() - 1);
            return Optional.of(ChainHead.of(last.sequence(), last.chainHash()));
        }
    }

    @Override
    public void write(List<SealedRecord> batch) throws IOException {
        Objects.requireNonNull(batch, "records");
        if (closed) {
            throw new IllegalStateException("memory sink is closed: write rejected");
        }
        if (logId == null) {
            throw new IllegalStateException("memory sink is not open: call open(logId) first");
        }
        List<SealedRecord> records = storage.get(logId);
        synchronized (records) {
            for (SealedRecord r : batch) {
                if (!r.logId().equals(logId)) {
                    throw new IOException("record of log " + r.logId() + " written to sink opened for " + logId);
                }
                long seq = r.sequence();
                if (seq < records.size()) {
                    if (!Arrays.equals(records.get((int) seq).line(), r.line())) {
                        throw new IOException("record " + seq + " of log " + logId
                                + " redelivered with different bytes: refusing to overwrite (tampering?)");
                    }
                } else if (seq == records.size()) {
                    records.add(r);
                } else {
                    throw new IOException("gap in log " + logId + ": expected record " + records.size()
                            + ", got " + seq);
                }
            }
        }
    }

    @Override
    public Optional<AuditReader> reader() {
        return Optional.of(new Reader());
    }

    /** A snapshot of the stored records of one log, in order. */
    public List<SealedRecord> records(String logId) {
        List<SealedRecord> records = storage.get(Objects.requireNonNull(logId, "logId"));
        if (records == null) {
            return List.of();
        }
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "MemorySink[logs=" + storage.keySet() + "]";
    }

    private final class Reader implements AuditReader {
        @Override
        public Set<String> logIds() {
            Set<String> ids = new TreeSet<>();
            storage.forEach((id, records) -> {
                synchronized (records) {
                    if (!records.isEmpty()) {
                        ids.add(id);
                    }
                }
            });
            return ids;
        }

        @Override
        public Stream<SealedRecord> read(String logId, long fromSequence) {
            List<SealedRecord> snapshot = records(logId);
            int from = (int) Math.min(Math.max(0, fromSequence), snapshot.size());
            return snapshot.subList(from, snapshot.size()).stream();
        }

        @Override
        public void close() {
        }
    }
}
