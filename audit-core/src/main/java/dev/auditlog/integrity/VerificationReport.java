package dev.auditlog.integrity;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a verification: the findings in the order found, how many records were checked, and the head
 * reached.
 */
public final class VerificationReport {
    private final List<Finding> findings;
    private final long omittedFindings;
    private final long records;
    private final long nextSequence;
    private final byte[] chainHead;

    private VerificationReport(List<Finding> findings, long omittedFindings, long records, long nextSequence,
                               byte[] chainHead) {
        this.findings = List.copyOf(findings);
        this.omittedFindings = omittedFindings;
        this.records = records;
        this.nextSequence = nextSequence;
        this.chainHead = chainHead;
    }

    /** True when nothing was found. */
    public boolean isValid() {
        return findings.isEmpty();
    }

    /** The findings, in order (capped; see {@link #omittedFindings()}). */
    public List<Finding> findings() {
        return findings;
    }

    /** The first finding: it names the first bad record. */
    public Optional<Finding> firstFinding() {
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
    }

    /** Findings beyond the cap that were counted but not kept. */
    public long omittedFindings() {
        return omittedFindings;
    }

    /** Records checked. */
    public long records() {
        return records;
    }

    /** The sequence number the next record would need. */
    public long nextSequence() {
        return nextSequence;
    }

    /** The chain hash of the last record checked (a copy). */
    public byte[] chainHead() {
        return chainHead.clone();
    }

    @Override
    public String toString() {
        return "VerificationReport[" + (isValid() ? "valid" : findings.size() + omittedFindings + " finding(s)")
                + ", records=" + records + ", head=" + HexFormat.of().formatHex(chainHead) + "]";
    }

    /** Accumulates findings up to a cap. */
    static final class Collector {
        private final int cap;
        private final List<Finding> findings = new ArrayList<>();
        private long omitted;

        Collector(int cap) {
            this.cap = cap;
        }

        void add(Finding.Kind kind, long sequence, String message) {
            if (findings.size() < cap) {
                findings.add(new Finding(kind, sequence, message));
            } else {
                omitted++;
            }
        }

        VerificationReport report(long records, long nextSequence, byte[] chainHead) {
            return new VerificationReport(findings, omitted, records, nextSequence, chainHead);
        }
    }
}
