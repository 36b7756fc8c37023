package dev.auditlog.file;

import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Recovery on open, in named steps: delete unfinished segment creations; scan the last segment; quarantine its bad
 * last line; then continue from it as it turns out to be: rotated (it has a footer), abandoned by an earlier process
 * (it has a marker), or open for appending.
 */
final class Recovery {
    private Recovery() {
    }

    /**
     * Where the writer continues: the head of the chain, and at most one of a segment to append to, the link to a
     * rotated last segment, or an abandoned last segment whose unforced records ({@code carry}) are to be written
     * again into a new segment.
     */
    record Recovered(long lastSequence, byte[] lastChain, ActiveSegment resumed, Segment.Previous nextLink,
                     Abandonment.Abandoned abandoned, List<SealedRecord> carry) {
    }

    /** Recovers the log in {@code logDir}; recovery notices go to {@code notices}, valid records to {@code recent}. */
    static Recovered run(WriterConfig config, String logId, Path logDir, RecentRecords recent, Notices notices)
            throws IOException {
        deleteUnfinishedSegments(logDir);
        List<Segments.SegmentFile> files = Segments.list(logDir);
        if (files.isEmpty()) {
            return new Recovered(-1, ChainHash.genesis(logId), null, null, null, List.of());
        }
        Segments.SegmentFile last = files.get(files.size() - 1);
        long carryFrom = Abandonment.firstUnforced(last.path());
        SegmentScan scan = SegmentScan.read(last, logId, carryFrom, recent);
        if (scan.badLine().isPresent()) {
            quarantineBadLine(config, logDir, scan, notices);
        }
        if (scan.hasFooter()) {
            return continueAfterRotated(config, scan);
        }
        if (carryFrom != Abandonment.NOT_ABANDONED) {
            return continueAfterAbandoned(scan);
        }
        return new Recovered(scan.lastSequence(), scan.lastChain(), ActiveSegment.resume(logId, scan), null, null,
                List.of());
    }

    /** {@code <segment>.tmp} files are creations that did not complete: they only ever held a header. */
    private static void deleteUnfinishedSegments(Path logDir) throws IOException {
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(logDir, "*" + SegmentFormat.SUFFIX + ".tmp")) {
            for (Path p : tmp) {
                Files.delete(p);
            }
        }
    }

    private static void quarantineBadLine(WriterConfig config, Path logDir, SegmentScan scan, Notices notices)
            throws IOException {
        RawLine line = scan.badLine().orElseThrow();
        Path segment = scan.file().path();
        byte[] bytes = Quarantine.storedBytes(line);
        Path q = Quarantine.moveAside(segment, line.offset(), bytes, logDir, Fs.filePerms(config.groupReadable()));
        notices.recovered(segment, line.offset(), bytes, q, scan.problem());
    }

    /** A rotated segment stays read-only; the next segment, created on the next write, links to it. */
    private static Recovered continueAfterRotated(WriterConfig config, SegmentScan scan) throws IOException {
        Fs.permissions(scan.file().path(), Fs.readOnlyPerms(config.groupReadable()));
        return new Recovered(scan.lastSequence(), scan.lastChain(), null, scan.link(), null, List.of());
    }

    /**
     * Abandoned after a failed force by an earlier process: never appended to again (the fsync lesson). Its records
     * from the first unforced one on are valid records whose durability is unknown: the writer copies them into a
     * new segment and forces it, as the failed process would have done on its retry.
     */
    private static Recovered continueAfterAbandoned(SegmentScan scan) {
        Abandonment.Abandoned abandoned = new Abandonment.Abandoned(scan.file(), scan.header().previous());
        List<SealedRecord> carry = scan.carry();
        if (carry.isEmpty()) {
            return new Recovered(scan.lastSequence(), scan.lastChain(), null, null, abandoned, List.of());
        }
        return new Recovered(carry.get(0).sequence() - 1, scan.chainBeforeCarry(), null, null, abandoned,
                List.copyOf(carry));
    }
}
