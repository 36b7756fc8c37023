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

    /**
     * The ids of the chains this storage holds ({@link ChainIds}: {@code <log id>@<instance id>}, or a log id alone
     * for a log written before instance ids).
     */
    Set<String> chainIds() throws IOException;

    /**
     * The chains of log {@code logId}, in chain id order: every chain the store's registry lists, whether or not
     * any of its records are still there, each with the latest signed checkpoint the registry holds for it. A
     * verifier compares this with the records, so a chain removed as a whole is found, not just a short one.
     *
     * <p>The default has no registry: the chains of {@link #chainIds()} that {@linkplain ChainIds#belongsTo belong}
     * to the log, without checkpoints. A store that can keep a registry overrides it (see
     * {@code docs/WRITING-A-SINK.md}).
     */
    default java.util.List<ChainInfo> chains(String logId) throws IOException {
        LogIds.check(logId);
        return chainIds().stream().filter(id -> ChainIds.belongsTo(id, logId)).sorted()
                .map(id -> new ChainInfo(id, java.util.Optional.empty())).toList();
    }

    /**
     * The records of one chain with a sequence number {@code >= fromSequence}, in order. The stream must be closed;
     * an I/O failure while streaming surfaces as {@link java.io.UncheckedIOException}. A record whose stored bytes
     * cannot be parsed at all surfaces as {@link java.io.UncheckedIOException} naming the location.
     */
    Stream<SealedRecord> read(String chainId, long fromSequence) throws IOException;

    /**
     * Walks the whole of one chain for the verifier: every stored record in order, and what the storage shows beyond
     * the records. Unlike {@link #read}, a record that cannot be read is reported and the walk goes on where the
     * store can.
     *
     * <p>The default streams {@link #read read(chainId, 0)} into {@link LogScan#record} with no location; when reading
     * fails part way it reports {@link LogScan#unreadable} and stops. Override it to give locations, to go on after
     * an unreadable record, or to check storage structure.
     *
     * @throws IOException when the chain cannot be read at all (not found, storage unavailable)
     */
    default void scan(String chainId, LogScan scan) throws IOException {
        long next = 0;
        try (Stream<SealedRecord> records = read(chainId, 0)) {
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
     * How many bytes of records this store holds for one chain, when it can tell without reading them (file sizes,
     * say); for progress reports, so an estimate is fine. The default cannot tell.
     */
    default OptionalLong storedBytes(String chainId) throws IOException {
        return OptionalLong.empty();
    }

    @Override
    void close() throws IOException;
}
