package dev.auditlog.integrity;

import dev.auditlog.internal.RecordFormat;
import dev.auditlog.spi.SealedRecord;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Checks a log's records one at a time, in constant memory: sequence contiguity, the log id, and every
 * body → leaf → chain link, recomputed from the stored bytes. Feed it the records in order with
 * {@link #accept(SealedRecord)}, then read {@link #report()}.
 *
 * <pre>{@code
 * ChainVerifier v = ChainVerifier.fromGenesis("orders");
 * try (Stream<SealedRecord> s = reader.read("orders", 0)) { s.forEach(v::accept); }
 * if (!v.report().isValid()) { ... }
 * }</pre>
 */
public final class ChainVerifier {
    private static final int MAX_FINDINGS = 1000;

    private final String logId;
    private final ChainHasher hasher = new ChainHasher();
    private final VerificationReport.Collector findings = new VerificationReport.Collector(MAX_FINDINGS);
    private byte[] previousChain;
    private long expectedSequence;
    private long records;

    private ChainVerifier(String logId, long nextSequence, byte[] previousChain) {
        this.logId = logId;
        this.expectedSequence = nextSequence;
        this.previousChain = previousChain;
    }

    /** A verifier for a log that must start at sequence 0 from the genesis chain value of {@code logId}. */
    public static ChainVerifier fromGenesis(String logId) {
        RecordFormat.checkLogId(logId);
        return new ChainVerifier(logId, 0, ChainHash.genesis(logId));
    }

    /**
     * A verifier for a log whose records before {@code nextSequence} are trusted (for example named by a verified
     * checkpoint), with {@code previousChain} the chain hash of record {@code nextSequence - 1}.
     */
    public static ChainVerifier resumingAt(String logId, long nextSequence, byte[] previousChain) {
        RecordFormat.checkLogId(logId);
        Objects.requireNonNull(previousChain, "previousChain");
        if (previousChain.length != 32 || nextSequence < 0) {
            throw new IllegalArgumentException("previousChain must be 32 bytes and nextSequence >= 0, were "
                    + previousChain.length + " bytes and " + nextSequence);
        }
        return new ChainVerifier(logId, nextSequence, previousChain.clone());
    }

    /** Checks the next record. Findings accumulate in the report; verification goes on after a bad record. */
    public void accept(SealedRecord record) {
        Objects.requireNonNull(record, "record");
        records++;
        long seq = record.sequence();
        if (!record.logId().equals(logId)) {
            findings.add(Finding.Kind.WRONG_LOG, seq, "record belongs to log \"" + record.logId()
                    + "\", expected \"" + logId + "\" (spliced from another log?)");
        }
        if (seq != expectedSequence) {
            findings.add(seq > expectedSequence ? Finding.Kind.SEQUENCE_GAP : Finding.Kind.SEQUENCE_REPEAT, seq,
                    "expected sequence " + expectedSequence + ", found " + seq
                            + (seq > expectedSequence ? " (records deleted?)" : " (records repeated or reordered?)"));
        }
        byte[] line = record.line();
        int body = record.bodyLength();
        byte[] leaf = new byte[32];
        byte[] chain = new byte[32];
        hasher.leaf(line, 0, body, leaf);
        hasher.next(previousChain, leaf, chain);
        if (!Arrays.equals(chain, record.chainHash())) {
            findings.add(Finding.Kind.CHAIN_MISMATCH, seq, "stored chain hash "
                    + HexFormat.of().formatHex(record.chainHash()) + " does not match the recomputed "
                    + HexFormat.of().formatHex(chain) + " (record edited, or a predecessor changed)");
        }
        // Continue from what is stored so that one edit yields one finding, not one per later record.
        previousChain = record.chainHash();
        expectedSequence = seq + 1;
    }

    /** Records a record that could not even be parsed, at the given location. */
    public void malformed(long sequenceHint, String location, String message) {
        records++;
        findings.add(Finding.Kind.MALFORMED, sequenceHint, location + ": " + message);
    }

    /** The findings so far, with the number of records checked and the chain head reached. */
    public VerificationReport report() {
        return findings.report(records, expectedSequence, previousChain.clone());
    }
}
