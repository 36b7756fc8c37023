package dev.auditlog.spi;

import java.util.List;

/**
 * What a store hands the verifier while it walks one log for {@link AuditReader#scan(String, LogScan)}: every
 * record in storage order with where it is stored, and whatever the storage itself shows that records cannot (a
 * unit that is missing or does not link to the one before, a torn last write, a line that is not a record). The
 * verifier turns each call into a check or a finding; a store never decides on its own that a log is valid.
 *
 * <p>Locations are short and human-readable, for example {@code 00000000000000000000.jsonl:1234} (file and byte
 * offset) or {@code row seq=17}; empty when the store has nothing better than the sequence number. They must not
 * hold secrets (no passwords from a connection URL).
 *
 * <p>Implemented by the verifier, called by stores. Not thread-safe: call from the thread running the scan.
 */
public interface LogScan {

    /**
     * The log does not start at record 0 because older records were removed on purpose (retention): storage holds a
     * signed checkpoint of the removed records and its compact Merkle range (the subtree roots at its size, largest
     * first). Call before the first {@link #record}, at most once.
     *
     * @param signedCheckpoint the checkpoint as a C2SP signed note
     * @param range            its compact range
     * @param location         where storage keeps it
     * @return the sequence number the log must go on from (the checkpoint's size), or -1 when the checkpoint did not
     *         verify under the pinned key or did not match its range (a finding was made)
     */
    long retentionStart(String signedCheckpoint, List<byte[]> range, String location);

    /** The next stored record, at {@code location}. */
    void record(SealedRecord record, String location);

    /**
     * The next stored record, at byte {@code offset} of {@code file}: the same as {@link #record(SealedRecord, String)}
     * with the location {@code file + ":" + offset}, for stores that read millions of records from files and a scan
     * that needs the location text only for a finding.
     */
    default void record(SealedRecord record, String file, long offset) {
        record(record, file + ":" + offset);
    }

    /**
     * Stored bytes where a record should be that cannot be read as one (a finding that makes the log invalid).
     *
     * @param claimedSequence the sequence number the stored bytes claim (for a file, the digits after
     *                        {@code "seq":}; for a database, the row's key), or -1 when they name none; the verifier
     *                        adds the record's position in storage order itself
     */
    void unreadable(long claimedSequence, String location, String message);

    /**
     * The storage's own structure is wrong: a unit (segment, partition, object) missing, out of order, altered, or
     * not linked to its predecessor as it claims (a finding that makes the log invalid).
     *
     * @param sequence the (first) record concerned, or -1
     */
    void storageMismatch(long sequence, String location, String message);

    /**
     * The storage recovered from a failure here, for example a torn last write that was never acknowledged (a
     * warning: it does not make the log invalid).
     *
     * @param sequence the record concerned, or -1
     */
    void recovered(long sequence, String location, String message);
}
