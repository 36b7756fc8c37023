package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The newest records of the log, consecutive by sequence, so that a redelivered record is compared with what was
 * stored without reading the disk.
 */
final class RecentRecords {
    static final int CAPACITY = 512;

    private final ArrayDeque<SealedRecord> records = new ArrayDeque<>();
    private long first;

    /** Remembers {@code r}, the record after the newest one remembered. */
    void remember(SealedRecord r) {
        if (records.isEmpty()) {
            first = r.sequence();
        }
        records.addLast(r);
        if (records.size() > CAPACITY) {
            records.removeFirst();
            first++;
        }
    }

    /** Drops the records after {@code sequence}, which are about to be written again (or were not stored). */
    void forgetAfter(long sequence) {
        while (!records.isEmpty() && first + records.size() - 1 > sequence) {
            records.removeLast();
        }
    }

    /** The remembered record {@code sequence}, or empty when it is older than the ones remembered. */
    Optional<SealedRecord> find(long sequence) {
        if (records.isEmpty() || sequence < first) {
            return Optional.empty();
        }
        Iterator<SealedRecord> it = records.iterator();
        for (long s = first; s < sequence; s++) {
            it.next();
        }
        return Optional.of(it.next());
    }
}
