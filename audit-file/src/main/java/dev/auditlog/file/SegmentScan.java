package dev.auditlog.file;

import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainHasher;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Recovery's reading of a log's last segment: every record parses, is of this log, carries the next sequence number
 * and links to the chain hash before it; a footer matches the contents; nothing follows a footer. A bad line ends
 * the scan; it must be the last line (then it is the {@link #badLine()} to quarantine), otherwise the scan fails.
 */
final class SegmentScan {
    private final Segments.SegmentFile file;
    private final String logId;
    private final long carryFrom;
    private final RecentRecords recent;
    private final ChainHasher hasher = new ChainHasher();
    private final MessageDigest digest = SegmentFormat.sha256();
    private final List<SealedRecord> carry = new ArrayList<>();
    private SegmentFormat.Header header;
    private long records;
    private long lastSeq;
    private byte[] lastChain;
    private byte[] chainBeforeCarry;
    private long validEnd;
    private boolean footer;
    private RawLine badLine;
    private String problem;

    private SegmentScan(Segments.SegmentFile file, String logId, long carryFrom, RecentRecords recent) {
        this.file = file;
        this.logId = logId;
        this.carryFrom = carryFrom;
        this.recent = recent;
    }

    /**
     * Scans {@code file}; valid records go to {@code recent}, and those from {@code carryFrom} on are also kept as
     * {@link #carry()}.
     *
     * @throws IOException when the header is bad, or a bad line is followed by more lines (the message names the
     *                     file and byte offset), or the file cannot be read
     */
    static SegmentScan read(Segments.SegmentFile file, String logId, long carryFrom, RecentRecords recent)
            throws IOException {
        SegmentScan scan = new SegmentScan(file, logId, carryFrom, recent);
        try (LineReader r = new LineReader(file.path())) {
            scan.readHeader(r);
            scan.readLines(r);
        }
        return scan;
    }

    private void readHeader(LineReader r) throws IOException {
        header = Segments.header(r, logId);
        byte[] bytes = SegmentFormat.header(header.version(), logId, header.first(), header.previous().orElse(null));
        digest.update(bytes);
        digest.update((byte) '\n');
        validEnd = bytes.length + 1;
        Optional<Segment.Previous> previous = header.previous();
        lastSeq = previous.map(Segment.Previous::lastSequence).orElse(-1L);
        lastChain = previous.isPresent() ? SegmentFormat.HEX.parseHex(previous.get().lastChain())
                : ChainHash.genesis(logId);
        chainBeforeCarry = lastChain;
    }

    private void readLines(LineReader r) throws IOException {
        RawLine line;
        while ((line = r.next()) != null) {
            String why = check(line);
            if (why != null) {
                if (r.hasNext()) {
                    throw new IOException(file.path() + ": byte offset " + line.offset() + ": " + why
                            + ", followed by more lines: corruption or tampering; refusing to append (the log needs"
                            + " manual inspection)");
                }
                badLine = line;
                problem = why;
                return;
            }
            digest.update(line.bytes());
            digest.update((byte) '\n');
            validEnd = line.offset() + line.storedLength();
        }
    }

    /** What is wrong with the line, or null when it is valid here (then it is taken in). */
    private String check(RawLine line) {
        if (footer) {
            return "line after the segment footer";
        }
        if (!line.terminated()) {
            return "incomplete line (no line terminator)";
        }
        if (line.kind() == RawLine.Kind.SEGMENT_FOOTER) {
            Optional<String> why = SegmentFormat.checkFooter(line.bytes(), contents());
            footer = why.isEmpty();
            return why.orElse(null);
        }
        if (line.kind() != RawLine.Kind.RECORD) {
            return "not a record line";
        }
        SealedRecord rec;
        try {
            rec = SealedRecord.parse(line.bytes());
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        String why = linkProblem(line.bytes(), rec);
        if (why == null) {
            take(rec);
        }
        return why;
    }

    private String linkProblem(byte[] line, SealedRecord rec) {
        if (!rec.logId().equals(logId)) {
            return "record of log \"" + rec.logId() + "\"";
        }
        long expected = header.first() + records;
        if (rec.sequence() != expected) {
            return "record " + rec.sequence() + " where " + expected + " was expected";
        }
        byte[] leaf = new byte[32];
        byte[] chain = new byte[32];
        hasher.leaf(line, 0, rec.bodyLength(), leaf);
        hasher.next(lastChain, leaf, chain);
        if (!Arrays.equals(chain, rec.chainHash())) {
            return "chain hash of record " + rec.sequence() + " does not link to its predecessor";
        }
        return null;
    }

    private void take(SealedRecord rec) {
        if (rec.sequence() >= carryFrom) {
            carry.add(rec);
        } else {
            chainBeforeCarry = rec.chainHash();
        }
        lastSeq = rec.sequence();
        lastChain = rec.chainHash();
        recent.remember(rec);
        records++;
    }

    /** The footer the lines read so far call for. */
    private SegmentFormat.Footer contents() {
        return new SegmentFormat.Footer(logId, header.first(), lastSeq, records, SegmentFormat.HEX.formatHex(lastChain),
                header.version() == 1 ? SegmentFormat.HEX.formatHex(SegmentFormat.digestSoFar(digest)) : "");
    }

    Segments.SegmentFile file() {
        return file;
    }

    SegmentFormat.Header header() {
        return header;
    }

    long records() {
        return records;
    }

    long lastSequence() {
        return lastSeq;
    }

    byte[] lastChain() {
        return lastChain;
    }

    /** The end of the last valid line: where appending continues. */
    long validEnd() {
        return validEnd;
    }

    /** The SHA-256 of the bytes up to {@link #validEnd()}, to continue with. */
    MessageDigest digest() {
        return digest;
    }

    /** Whether the segment ends with a valid footer (it was rotated). */
    boolean hasFooter() {
        return footer;
    }

    /** The bad last line, to quarantine. */
    Optional<RawLine> badLine() {
        return Optional.ofNullable(badLine);
    }

    /** Why {@link #badLine()} is bad. */
    String problem() {
        return problem;
    }

    /** The valid records from the carry point on: unforced records of an abandoned segment. */
    List<SealedRecord> carry() {
        return carry;
    }

    /** The chain hash before the first {@link #carry()} record. */
    byte[] chainBeforeCarry() {
        return chainBeforeCarry;
    }

    /** What the next segment's header says about this one (meaningful once the scan is complete). */
    Segment.Previous link() {
        return new Segment.Previous(file.name(), lastSeq, SegmentFormat.HEX.formatHex(lastChain), records,
                header.version() == 1 ? SegmentFormat.HEX.formatHex(SegmentFormat.digestSoFar(digest)) : "");
    }
}
