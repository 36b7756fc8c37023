package dev.auditlog.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Streams sealed records back from a sink's storage, in sequence order, in constant memory. Used to verify a
 * stored log, to tail it, to bring a lagging sink up to date, and by the sink contract tests.
 *
 * <p>A store gets verification for free by providing a reader: {@link dev.auditlog.integrity.LogVerifier} verifies
 * any log through {@link #scan(String, LogScan)}. A store whose storage has structure of its own (segments with
 * headers and seals, retention checkpoints) overrides {@code scan} to report it.
 */
public interface AuditReader extends AutoCloseable {

    /** The ids of the logs this storage holds. */
    Set<String> logIds() throws IOException;

    /**
     * The records of one log with a sequence number {@code >= fromSequence}, in order. The stream must be closed;
     * an I/O failure while streaming surfaces as {@link java.io.UncheckedIOException}. A record whose stored bytes
     * cannot be parsed at all surfaces as {@link java.io.UncheckedIOException} naming the location.
     */
    Stream<SealedRecord> read(String logId, long fromSequence) throws IOException;

    /**
     * Walks the whole of one log for the verifier: every stored record in order, and what the storage shows beyond
     * the records. Unlike {@link #read}, a record that cannot be read is reported and the walk goes on where the
     * store can.
     *
     * <p>The default streams {@link #read read(logId, 0)} into {@link LogScan#record} with no location; when reading
     * fails part way it reports {@link LogScan#unreadable} and stops. Override it to give locations, to go on after
     * an unreadable record, or to check storage structure.
     *
     * @throws IOException when the log cannot be read at all (not found, storage unavailable)
     */
    default void scan(String logId, LogScan scan) throws IOException {
        long next = 0;
        try (Stream<SealedRecord> records = read(logId, 0)) {
            for (Iterator<SealedRecord> it = records.iterator(); it.hasNext(); ) {
                SealedRecord r = it.next();
                scan.record(r, "");
                next = r.sequence() + 1;
            }
        } catch (UncheckedIOException e) {
            scan.unreadable(next, "", "reading stopped: " + e.getCause().getMessage());
        }
    }

    /**
     * How many bytes of records this store holds for one log, when it can tell without reading them (file sizes,
     * say); for progress reports, so an estimate is fine. The default cannot tell.
     */
    default OptionalLong storedBytes(String logId) throws IOException {
        return OptionalLong.empty();
    }

    @Override
    void close() throws IOException;
}
