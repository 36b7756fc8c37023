package dev.auditlog.file;

import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file log's walk for the verifier ({@link dev.auditlog.spi.AuditReader#scan}): segment by segment, line by line,
 * in constant memory, every record goes to the {@link LogScan} with its file and byte offset, and the storage itself
 * is checked as {@code docs/FILE-FORMAT.md} specifies — each segment's header (its log, its first sequence, and the
 * link to the previous segment: file name, last sequence and chain, record count, SHA-256 of the whole file), each
 * footer line (counts, last chain, SHA-256 of the bytes before it), overlaps left by abandoned segments (the copies
 * must be identical), recovery records (warnings), a torn last line, and the retention checkpoint of a pruned log.
 * Nothing in the files can make it throw except an I/O error: every problem is handed to the scan.
 */
final class SegmentWalk {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_OVERLAP = 1 << 17;
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);

    private SegmentWalk() {
    }

    /**
     * Walks log {@code logId} under {@code dir} into {@code scan}.
     *
     * @throws IOException when the log directory is missing or cannot be read
     */
    public static void scan(Path dir, String logId, LogScan scan) throws IOException {
        Path logDir = dir.resolve(logId);
        if (!Files.isDirectory(logDir)) {
            throw new IOException("no log \"" + logId + "\" in " + dir + " (missing directory " + logDir + ")");
        }
        List<Segments.SegmentFile> files = Segments.list(logDir);
        Map<Long, byte[]> overlap = new HashMap<>();
        boolean pruned = false;
        if (!files.isEmpty() && files.get(0).first() > 0) {
            Optional<Retention.Start> retention;
            try {
                retention = Retention.read(logDir);
            } catch (IOException e) {
                scan.storageMismatch(files.get(0).first(), Retention.STATEMENT_FILE, e.getMessage());
                retention = Optional.empty();
            }
            if (retention.isPresent()) {
                Retention.Start start = retention.get();
                long resumeAt = scan.retentionStart(start.note(), start.range(), start.location());
                pruned = resumeAt == files.get(0).first();
                if (!pruned && resumeAt >= 0) {
                    scan.storageMismatch(files.get(0).first(), start.location(), "the retention statement keeps the"
                            + " records from " + resumeAt + ", but the first remaining segment starts at "
                            + files.get(0).first());
                }
            }
        }
        try (ParsedLines.Workers workers = new ParsedLines.Workers()) {
            walk(files, logId, pruned, overlap, workers, scan);
        }
        if (!overlap.isEmpty()) {
            // Every later sequence would have met its copy: these lie beyond the log's end, written into the abandoned
            // segment but never acknowledged, and the retry that would have copied them was interrupted (rule 5).
            long from = overlap.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
            long to = overlap.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            scan.recovered(from, "", "records " + from + ".." + to + " of an abandoned segment are beyond the end of"
                    + " the log: never acknowledged");
        }
    }

    private static void walk(List<Segments.SegmentFile> files, String logId, boolean pruned, Map<Long, byte[]> overlap,
                             ParsedLines.Workers workers, LogScan scan) throws IOException {
        Segment.Previous prev = null;
        for (int i = 0; i < files.size(); i++) {
            Segments.SegmentFile f = files.get(i);
            long nextFirst = i + 1 < files.size() ? files.get(i + 1).first() : Long.MAX_VALUE;
            // A version 1 header states the SHA-256 of the whole segment before it: only then is it computed.
            boolean nextStatesDigest = i + 1 < files.size() && headerVersion(files.get(i + 1)) == 1;
            prev = verifySegment(f, logId, i == 0 && !pruned, i == files.size() - 1, nextFirst, nextStatesDigest, prev,
                    overlap, workers, scan);
        }
    }

    private static String recoveredDetails(SealedRecord r) {
        try {
            return r.event().map(e -> e.attributes().toString()).orElse("");
        } catch (IllegalArgumentException e) {
            return "(the event does not parse: " + e.getMessage() + ")";
        }
    }

    /** The version a segment's header line states, or 0 when it has none that parses. */
    private static int headerVersion(Segments.SegmentFile f) throws IOException {
        try (LineReader r = new LineReader(f.path())) {
            RawLine line = r.next();
            return line == null ? 0 : SegmentFormat.parseHeader(line.bytes()).version();
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private static Segment.Previous verifySegment(Segments.SegmentFile f, String logId, boolean first, boolean last,
                                          long nextFirst, boolean nextStatesDigest, Segment.Previous prev,
                                          Map<Long, byte[]> overlap, ParsedLines.Workers workers, LogScan v)
            throws IOException {
        String name = f.name();
        // Only version 1 needs the whole-file digest (its footer, or a version 1 header after it): version 2 reads
        // every byte once, for the leaf hashes.
        MessageDigest whole = null;
        int version = 0;
        long records = 0;
        long lastSeq = -1;
        // Kept as the record, its chain hash copied out and formatted only for the footer and the next header: not a
        // hex string, nor a copy of the hash, per record.
        SealedRecord lastRecord = null;
        // The record the next segment continues from (FILE-FORMAT.md rule 4): the last one before nextFirst, which in
        // an abandoned segment is not its last record when the next segment overlaps it.
        long linkSeq = -1;
        SealedRecord linkRecord = null;
        boolean footerSeen = false;
        int index = 0;
        try (ParsedLines it = new ParsedLines(f.path(), workers)) {
            while (it.hasNext()) {
                ParsedLines.Parsed parsed = it.next();
                long offset = parsed.offset();
                String wholeBefore = "";
                if (index == 0) {
                    version = checkHeader(parsed.line(), name + ":" + offset, f, logId, first, prev, v);
                    whole = version == 1 || nextStatesDigest || version == 0 ? sha256() : null;
                }
                if (whole != null) {
                    if (parsed.kind() == RawLine.Kind.SEGMENT_FOOTER && version == 1) {
                        wholeBefore = HEX.formatHex(cloneDigest(whole).digest());
                    }
                    if (parsed.raw() != null) {
                        whole.update(parsed.raw().bytes());
                    } else {
                        whole.update(parsed.record().lineBuffer());
                    }
                    if (parsed.terminated()) {
                        whole.update((byte) '\n');
                    }
                }
                if (footerSeen) {
                    v.storageMismatch(lastSeq, name + ":" + offset, "content after the segment's footer line");
                }
                if (index++ == 0) {
                    continue;
                }
                switch (parsed.kind()) {
                    case RECORD -> {
                        if (!parsed.terminated()) {
                            String at = name + ":" + offset;
                            String torn = "incomplete last line (" + parsed.length() + " bytes without a"
                                    + " terminator): a torn write, not acknowledged; the file sink quarantines it"
                                    + " when the log is next opened";
                            if (!it.hasNext() && (last || !footerSeen)) {
                                // The last segment's torn write, or an abandoned segment's failed write (rule 6).
                                v.recovered(lastSeq + 1, at, torn);
                            } else {
                                v.unreadable(claimedSequence(parsed.raw().bytes()), at, torn);
                            }
                            continue;
                        }
                        SealedRecord r = parsed.record();
                        if (r == null) {
                            v.unreadable(claimedSequence(parsed.raw().bytes()), name + ":" + offset,
                                    parsed.problem());
                            continue;
                        }
                        records++;
                        lastSeq = r.sequence();
                        lastRecord = r;
                        if (r.sequence() >= nextFirst) {
                            // Also in the next segment (written again after this one was abandoned): check it there.
                            if (overlap.size() < MAX_OVERLAP) {
                                overlap.put(r.sequence(), r.chainHash());
                            }
                            continue;
                        }
                        linkSeq = r.sequence();
                        linkRecord = r;
                        if (!overlap.isEmpty()) {
                            byte[] earlier = overlap.remove(r.sequence());
                            if (earlier != null && !Arrays.equals(earlier, r.chainHash())) {
                                v.storageMismatch(r.sequence(), name + ":" + offset, "record differs from its copy"
                                        + " in the abandoned segment before this one");
                            }
                        }
                        v.record(r, name, offset);
                        if (parsed.recovered()) {
                            v.recovered(r.sequence(), name + ":" + offset, "the file sink recovered from a torn"
                                    + " write here: " + recoveredDetails(r));
                        }
                    }
                    case SEGMENT_FOOTER -> {
                        footerSeen = true;
                        checkFooter(parsed.line(), name + ":" + offset, logId, f.first(), lastSeq, records,
                                lastRecord == null ? null : hex(lastRecord.chainHash()), wholeBefore, v);
                    }
                    case SEGMENT_HEADER -> v.storageMismatch(lastSeq + 1, name + ":" + offset,
                            "a second segment header inside the segment");
                    default -> v.unreadable(claimedSequence(parsed.raw().bytes()), name + ":" + offset,
                            "not a record, segment header or footer line");
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (index == 0) {
            v.storageMismatch(f.first(), name + ":0", "empty segment file");
        } else if (!last && !footerSeen) {
            // FILE-FORMAT.md "Abandoned segments": the writer closes a segment without a footer only when a force
            // failed; its records from the next segment's first on are written again there (compared above).
            v.recovered(linkSeq + 1, name, "segment has no footer: abandoned after a failed force, the log went on"
                    + " in the next segment from record " + nextFirst);
        }
        // What the next segment's header must say about this one; a segment without records has no chain to link
        // ("" matches no header), so a segment after it is reported.
        return new Segment.Previous(name, linkSeq, linkRecord == null ? "" : hex(linkRecord.chainHash()), records,
                whole == null ? "" : HEX.formatHex(whole.digest()));
    }

    /** Checks a header line; returns its version, or 0 when it does not parse. */
    private static int checkHeader(RawLine line, String at, Segments.SegmentFile f, String logId, boolean first,
                                    Segment.Previous prev, LogScan v) {
        SegmentFormat.Header h;
        try {
            h = SegmentFormat.parseHeader(line.bytes());
        } catch (IllegalArgumentException e) {
            v.storageMismatch(f.first(), at, "bad segment header: "
                    + e.getMessage());
            return 0;
        }
        if (!h.logId().equals(logId) || h.first() != f.first()) {
            v.storageMismatch(f.first(), at, "segment header names log \""
                    + h.logId() + "\" from " + h.first() + ", the file is log \"" + logId + "\" from " + f.first());
        }
        if (first) {
            if (h.previous().isPresent() || f.first() != 0) {
                v.storageMismatch(f.first(), at, "the first segment starts at "
                        + f.first() + (h.previous().map(p -> " after " + p.file()).orElse(""))
                        + ": earlier segments are missing");
            }
            return h.version();
        }
        if (prev == null) {
            // The first segment after a verified retention checkpoint: its predecessor was pruned, so only the claim
            // can be checked; its first record's chain link to the checkpoint's chain head proves the rest.
            if (h.previous().isEmpty() || h.previous().get().lastSequence() != f.first() - 1) {
                v.storageMismatch(f.first(), at, "the first segment after the retention checkpoint must link the"
                        + " pruned segment before it (previous.lastSequence " + (f.first() - 1) + ")");
            }
            return h.version();
        }
        if (h.previous().isEmpty()) {
            v.storageMismatch(f.first(), at, "segment does not link a previous"
                    + " segment, but " + prev.file() + " comes before it");
            return h.version();
        }
        Segment.Previous claimed = h.previous().get();
        if (h.version() == 2) {
            prev = new Segment.Previous(prev.file(), prev.lastSequence(), prev.lastChain(), prev.records(), "");
        }
        if (!claimed.equals(prev)) {
            v.storageMismatch(f.first(), at, "the header's link to the previous"
                    + " segment does not match it: header says " + claimed + ", found " + prev
                    + " (segment missing, replaced or altered?)");
        }
        return h.version();
    }

    private static void checkFooter(RawLine line, String at, String logId, long first, long lastSeq, long records,
                                    String lastChain, String before, LogScan v) {
        SegmentFormat.checkFooter(line.bytes(), new SegmentFormat.Footer(logId, first, lastSeq, records, lastChain,
                before)).ifPresent(problem -> v.storageMismatch(lastSeq, at, problem));
    }

    /** The sequence number a line that is not a valid record claims: the digits after {@code "seq":}, or -1. */
    static long claimedSequence(byte[] line) {
        int limit = Math.min(line.length, 512);
        outer:
        for (int i = 0; i + SEQ.length < limit; i++) {
            for (int j = 0; j < SEQ.length; j++) {
                if (line[i + j] != SEQ[j]) {
                    continue outer;
                }
            }
            long v = 0;
            int k = i + SEQ.length;
            int start = k;
            while (k < line.length && k - start < 18 && line[k] >= '0' && line[k] <= '9') {
                v = v * 10 + (line[k++] - '0');
            }
            return k == start ? -1 : v;
        }
        return -1;
    }

    /** Lowercase hex of a hash, or null for none (no record seen). */
    private static String hex(byte[] hash) {
        return hash == null ? null : HEX.formatHex(hash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest cloneDigest(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }
}
