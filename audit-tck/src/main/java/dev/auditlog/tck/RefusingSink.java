package dev.auditlog.tck;

import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.RecordRefusedException;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A sink double whose store refuses the records a predicate picks, as a database refuses a value it cannot hold: the
 * records before the refused one in a batch are stored, then {@link RecordRefusedException} names it. A refused
 * record can still be stored through {@link #writeUnindexed}, as a JDBC sink stores the line without query columns.
 */
public final class RefusingSink extends ForwardingSink {
    private final Predicate<SealedRecord> refuses;
    private final AtomicInteger unindexed = new AtomicInteger();

    private RefusingSink(AuditSink delegate, Predicate<SealedRecord> refuses) {
        super(delegate);
        this.refuses = refuses;
    }

    /** Refuses every record {@code refuses} picks; writes the others through to {@code delegate}. */
    public static RefusingSink refusing(Predicate<SealedRecord> refuses, AuditSink delegate) {
        return new RefusingSink(delegate, refuses);
    }

    /** Records stored through {@link #writeUnindexed} so far. */
    public int unindexed() {
        return unindexed.get();
    }

    @Override
    protected String kind() {
        return "refusing";
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        for (int i = 0; i < records.size(); i++) {
            if (refuses.test(records.get(i))) {
                if (i > 0) {
                    delegate.write(records.subList(0, i));
                }
                long seq = records.get(i).sequence();
                throw new RecordRefusedException(seq, "value too long for type character varying(256) [record " + seq
                        + "; password=Sup3rS3cretPW]", null);
            }
        }
        delegate.write(records);
    }

    @Override
    public void writeUnindexed(SealedRecord record) throws IOException {
        delegate.write(List.of(record));
        unindexed.incrementAndGet();
    }
}
