package dev.auditlog.spi;

import dev.auditlog.AuditEvent;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Stores sealed records. The {@link dev.auditlog.AuditLog} seals every record (sequence number, exact bytes,
 * hash chain link) before a sink sees it; a sink stores those bytes unchanged.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>{@link #open(String)} is called once, before any write, with the chain id ({@link ChainIds}). It takes
 *       the chain's <em>lease</em> and returns the head of what is already stored for that chain, so the log can
 *       resume it.</li>
 *   <li>{@link #write(List)} is called from a single thread, with batches in strictly increasing, contiguous
 *       sequence order, continuing from the head returned by {@code open}.</li>
 *   <li>{@link #close()} releases resources; it is idempotent. A write after close throws
 *       {@link IllegalStateException}.</li>
 * </ol>
 *
 * <h2>Durability</h2>
 * When {@code write} returns normally, every record of the batch is <em>durable</em>: it will be returned by
 * {@link #reader()} after this sink is closed and a new sink is opened on the same storage, and it survives the
 * failure the sink documents (for a file sink with group commit: a crash of the process or of the machine once
 * {@code FileChannel.force} returned; for a database: a committed transaction). A sink whose durability is weaker
 * (for example an in-memory sink) must say so in its documentation. When {@code write} throws, the log retries the
 * same batch (with the same bytes) later; a sink must therefore accept a redelivered record it already stored
 * with identical bytes as a no-op, and must reject one with different bytes.
 *
 * <h2>One writer per chain</h2>
 * A chain has one writer at a time. {@code open} takes a lease on the chain in the storage and holds it until
 * {@code close}; while another writer (in this process or any other) holds it, {@code open} throws
 * {@link ChainLeaseException} naming the holder. The lease must end when its holder dies, however it dies: an
 * OS file lock, a database session lock, or a lease row with an expiry, never a marker a crashed process leaves
 * behind. A sink whose storage is private to the process (an in-memory sink) needs only an in-process lease.
 * Chains of the same log written by other instances are separate chains with separate leases.
 *
 * <p>Implementations need not be thread-safe for writes: the log calls {@code open}, {@code write},
 * {@code flush} and {@code close} from one thread at a time.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * A short name for messages and metrics, for example {@code "file:/var/log/audit"}. Never null.
     */
    String name();

    /**
     * Opens the sink for one chain: takes the chain's lease (see the class documentation) and reports what is
     * already stored.
     *
     * @param chainId the chain, {@code <log id>@<instance id>} ({@link ChainIds}); see
     *                {@link dev.auditlog.AuditLog#chainId()}
     * @return the newest stored record of this chain, or empty when the sink holds none
     * @throws ChainLeaseException when another writer holds the chain's lease
     * @throws IOException when the storage cannot be opened; the message names the location and the reason
     */
    Optional<ChainHead> open(String chainId) throws IOException;

    /**
     * Stores a batch durably (see the class documentation) before returning.
     *
     * @param records non-empty, contiguous, in sequence order
     * @throws IOException when the batch could not be stored; none, some or all of it may be stored
     */
    void write(List<SealedRecord> records) throws IOException;

    /**
     * Makes everything written so far durable, for sinks whose {@link #write} may defer it (for example a file
     * sink with an interval policy). The default does nothing, which is right for sinks whose writes are
     * durable on return.
     */
    default void flush() throws IOException {
    }

    /**
     * Events this sink asks the log to record into the chain, such as "a torn tail was quarantined on open" or
     * "a failed fsync made me abandon a segment": what happened to the storage becomes evidence too. The log drains
     * this after {@link #open} and after every {@link #write} attempt, and records each event as its own record.
     * The default has none.
     */
    default List<AuditEvent> takeNotices() {
        return List.of();
    }

    /**
     * Whether the sink just closed a unit of storage (a file sink's segment) and asks the log to write a signed
     * checkpoint now, so that each closed unit is covered by one. Asked after every {@link #write}; answering true
     * resets the request. Ignored when the log writes no checkpoints. The default never asks.
     */
    default boolean wantsCheckpoint() {
        return false;
    }

    /**
     * A reader over this sink's storage, when the sink supports reading back. The log uses it to bring other
     * sinks up to date on restart; the TCK and the verifier use it to check what was stored.
     */
    default Optional<AuditReader> reader() {
        return Optional.empty();
    }

    /**
     * Stores one record that the store refused ({@link RecordRefusedException}) in a form it can hold: the exact
     * line, unchanged, with nothing derived from the event (a database sink leaves its query columns null, which marks
     * the row). Called only when an operator asks for it through
     * {@link dev.auditlog.AuditLog#storeUnindexed(String, long)}, with the record the sink is stuck on, so the chain
     * stays whole. Durable on return, like {@link #write}. The default refuses: a sink that never refuses content
     * (a file sink) has nothing to resolve.
     *
     * @throws IOException when the record cannot be stored this way either
     * @throws UnsupportedOperationException when the sink has no such form
     */
    default void writeUnindexed(SealedRecord record) throws IOException {
        throw new UnsupportedOperationException("sink " + name() + " cannot store a record without its query columns");
    }

    /**
     * Retention, for a store that can remove a log's oldest records under a signed retention statement (see
     * {@link LogPruner} and {@code AuditLog.prune}). The default has none: the store keeps
     * everything.
     */
    default Optional<LogPruner> pruner() {
        return Optional.empty();
    }

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close() throws IOException;
}
