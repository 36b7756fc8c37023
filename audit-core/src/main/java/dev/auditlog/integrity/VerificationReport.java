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
    private final long checkpoints;
    private final long lastCheckpointSize;
    private final long anchoredSize;
    private final List<KeyRange> keyRanges;

    private VerificationReport(List<Finding> findings, long omittedFindings, long records, long nextSequence,
                               byte[] chainHead, long checkpoints, long lastCheckpointSize, long anchoredSize,
                               List<KeyRange> keyRanges) {
        this.keyRanges = List.copyOf(keyRanges);
        this.checkpoints = checkpoints;
        this.lastCheckpointSize = lastCheckpointSize;
        this.anchoredSize = anchoredSize;
        this.findings = List.copyOf(findings);
        this.omittedFindings = omittedFindings;
        this.records = records;
        this.nextSequence = nextSequence;
        this.chainHead = chainHead;
    }

    /** True when no finding other than a warning was made (warnings: see {@link Finding#isWarning()}). */
    public boolean isValid() {
        return findings.stream().allMatch(Finding::isWarning) && (omittedFindings == 0);
    }

    /** True when at least one warning was found. */
    public boolean hasWarnings() {
        return findings.stream().anyMatch(Finding::isWarning);
    }

    /** Checkpoint records whose signature verified. */
    public long checkpoints() {
        return checkpoints;
    }

    /** Tree size of the last verified checkpoint, or -1. */
    public long lastCheckpointSize() {
        return lastCheckpointSize;
    }

    /** Tree size of the anchored checkpoint the log was checked against, or -1. */
    public long anchoredSize() {
        return anchoredSize;
    }

    /**
     * Which key signed which part of the log, in order: more than one when the log's key was rotated (docs/FORMAT.md
     * section 12). Empty when no signed note verified.
     */
    public List<KeyRange> keyRanges() {
        return keyRanges;
    }

    /** The findings, in order (capped; see {@link #omittedFindings()}). */
    public List<Finding> findings() {
        return findings;
    }

    /** The first finding that is not a warning: it names the first bad record. */
    public Optional<Finding> firstFinding() {
        return findings.stream().filter(f -> !f.isWarning()).findFirst();
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
                + ", records=" + records + ", checkpoints=" + checkpoints + ", head=" + HexFormat.of().formatHex(chainHead) + "]";
    }

    /** Accumulates findings up to a cap. */
    static final class Collector {
        private final int cap;
        private final List<Finding> findings = new ArrayList<>();
        private long omitted;

        Collector(int cap) {
            this.cap = cap;
        }

        private String location = "";
        /** When not null, the location is this file and {@link #offset}, put together only if a finding needs it. */
        private String file;
        private long offset;
        List<KeyRange> keyRanges = List.of();
        /** The storage position of the record being checked, or -1 (see {@link Finding#position()}). */
        long position = -1;

        void at(String location) {
            this.location = location;
            this.file = null;
        }

        void at(String file, long offset) {
            this.file = file;
            this.offset = offset;
        }

        String location() {
            if (file != null) {
                location = file + ":" + offset;
                file = null;
            }
            return location;
        }

        void add(Finding.Kind kind, long sequence, String message) {
            add(new Finding(kind, sequence, position, location(), message));
        }

        void add(Finding finding) {
            if (findings.size() < cap) {
                findings.add(finding);
            } else {
                omitted++;
            }
        }

        VerificationReport report(long records, long nextSequence, byte[] chainHead, long checkpoints,
                                  long lastCheckpointSize, long anchoredSize) {
            return new VerificationReport(findings, omitted, records, nextSequence, chainHead, checkpoints,
                    lastCheckpointSize, anchoredSize, keyRanges);
        }
    }
}
