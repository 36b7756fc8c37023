package dev.auditlog;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.ChainLeaseException;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A sink that keeps records in this JVM's memory, for tests and examples. "Durable" here means: held by this
 * sink's storage until the JVM exits, and visible to every sink {@link #reopen() reopened} on the same storage.
 * It enforces the sink contract strictly (contiguous sequences, identical bytes on redelivery), so it is also a
 * reference for sink authors, leases included: a chain has one open writer at a time among the sinks over the same
 * storage (an in-process lease, since the storage is private to the JVM), and the storage keeps a registry of its
 * chains with their latest checkpoint. Spec string: {@code memory:}.
 */
public final class MemorySink implements AuditSink {
    private final Storage storage;
    private String chainId;
    private volatile boolean closed;

    /** The records, leases and chain registry shared by the sinks {@link #reopen() reopened} on them. */
    private static final class Storage {
        final Map<String, List<SealedRecord>> records = new ConcurrentHashMap<>();
        final Map<String, MemorySink> leases = new HashMap<>();
        final Map<String, String> leaseHolders = new HashMap<>();
        final Map<String, Optional<String>> registry = new ConcurrentHashMap<>();
    }

    /** A sink over new, empty storage. */
    public MemorySink() {
        this(new Storage());
    }

    private MemorySink(Storage storage) {
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

    /**
     * Takes the chain's lease among the sinks over this storage and returns the last record's head.
     *
     * @throws ChainLeaseException when another open sink over the same storage holds the chain
     */
    @Override
    public Optional<ChainHead> open(String chainId) throws IOException {
        ChainIds.check(Objects.requireNonNull(chainId, "chainId"));
        if (closed) {
            throw new IllegalStateException("memory sink is closed");
        }
        if (this.chainId != null) {
            throw new IllegalStateException("memory sink is already open for chain " + this.chainId);
        }
        synchronized (storage.leases) {
            MemorySink holder = storage.leases.get(chainId);
            if (holder != null && holder != this) {
                throw new ChainLeaseException(chainId, storage.leaseHolders.get(chainId), "memory: lease");
            }
            storage.leases.put(chainId, this);
            storage.leaseHolders.put(chainId, ChainLeaseException.describeThisProcess(chainId, Instant.now()));
        }
        this.chainId = chainId;
        storage.registry.putIfAbsent(chainId, Optional.empty());
        List<SealedRecord> records = storage.records.computeIfAbsent(chainId, id -> new ArrayList<>());
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
        if (chainId == null) {
            throw new IllegalStateException("memory sink is not open: call open(chainId) first");
        }
        List<SealedRecord> records = storage.records.get(chainId);
        synchronized (records) {
            for (SealedRecord r : batch) {
                if (!r.logId().equals(chainId)) {
                    throw new IOException("record of chain " + r.logId() + " written to sink opened for " + chainId);
                }
                long seq = r.sequence();
                if (seq < records.size()) {
                    if (!Arrays.equals(records.get((int) seq).line(), r.line())) {
                        throw new IOException("record " + seq + " of chain " + chainId
                                + " redelivered with different bytes: refusing to overwrite (tampering?)");
                    }
                } else if (seq == records.size()) {
                    records.add(r);
                    r.checkpointNote().ifPresent(note -> storage.registry.put(chainId, Optional.of(note)));
                } else {
                    throw new IOException("gap in chain " + chainId + ": expected record " + records.size()
                            + ", got " + seq);
                }
            }
        }
    }

    @Override
    public Optional<AuditReader> reader() {
        return Optional.of(new Reader());
    }

    /**
     * A snapshot of the stored records of one chain, in order: give its chain id ({@link AuditLog#chainId()}), or,
     * for convenience in tests, a log id when this storage holds exactly one chain of that log.
     *
     * @throws IllegalArgumentException when {@code id} is a log id with several chains here (the message lists them)
     */
    public List<SealedRecord> records(String id) {
        String chainId = resolve(Objects.requireNonNull(id, "id"));
        List<SealedRecord> records = storage.records.get(chainId);
        if (records == null) {
            return List.of();
        }
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    private String resolve(String id) {
        if (storage.records.containsKey(id) || !LogIds.isValid(id)) {
            return id;
        }
        List<String> chains = storage.records.keySet().stream().filter(c -> ChainIds.belongsTo(c, id)).sorted()
                .toList();
        if (chains.size() > 1) {
            throw new IllegalArgumentException("log " + id + " has several chains here " + chains
                    + ": give a chain id");
        }
        return chains.isEmpty() ? id : chains.get(0);
    }

    /** Releases the chain's lease. */
    @Override
    public void close() {
        closed = true;
        synchronized (storage.leases) {
            if (chainId != null && storage.leases.get(chainId) == this) {
                storage.leases.remove(chainId);
                storage.leaseHolders.remove(chainId);
            }
        }
    }

    @Override
    public String toString() {
        return "MemorySink[chains=" + storage.records.keySet() + "]";
    }

    private final class Reader implements AuditReader {
        @Override
        public Set<String> chainIds() {
            Set<String> ids = new TreeSet<>();
            storage.records.forEach((id, records) -> {
                synchronized (records) {
                    if (!records.isEmpty()) {
                        ids.add(id);
                    }
                }
            });
            return ids;
        }

        /** The registry's chains of the log, with their latest checkpoint, and any stored chain it lacks. */
        @Override
        public List<ChainInfo> chains(String logId) {
            LogIds.check(logId);
            Map<String, Optional<String>> chains = new TreeMap<>();
            storage.registry.forEach((id, cp) -> {
                if (ChainIds.belongsTo(id, logId)) {
                    chains.put(id, cp);
                }
            });
            for (String id : chainIds()) {
                if (ChainIds.belongsTo(id, logId)) {
                    chains.putIfAbsent(id, Optional.empty());
                }
            }
            return chains.entrySet().stream().map(e -> new ChainInfo(e.getKey(), e.getValue())).toList();
        }

        @Override
        public Stream<SealedRecord> read(String chainId, long fromSequence) {
            List<SealedRecord> snapshot = storage.records.getOrDefault(chainId, List.of());
            synchronized (snapshot) {
                snapshot = List.copyOf(snapshot);
            }
            int from = (int) Math.min(Math.max(0, fromSequence), snapshot.size());
            return snapshot.subList(from, snapshot.size()).stream();
        }

        @Override
        public void close() {
        }
    }
}
