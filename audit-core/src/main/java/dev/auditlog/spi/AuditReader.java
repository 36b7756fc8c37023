package dev.auditlog.spi;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Streams sealed records back from a sink's storage, in sequence order, in constant memory. Used to verify a
 * stored log, to tail it, to bring a lagging sink up to date, and by the sink contract tests.
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

    @Override
    void close() throws IOException;
}
