package dev.auditlog.file;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One segment file of a log, as described by its file name, its header line and whether it ends with a footer line.
 * This is the public view of a segment that {@link FileAuditReader#segments(String)} returns; the layout is specified
 * in {@code docs/FILE-FORMAT.md}.
 *
 * @param path          the segment file
 * @param logId         the log id in the header
 * @param firstSequence the sequence number of the segment's first record (header {@code first}, equal to the
 *                      number in the file name)
 * @param previous      the header's description of the preceding segment; empty for a log's first segment
 * @param hasFooter     whether the last line of the file is a segment footer line (the segment was rotated)
 */
public record Segment(Path path, String logId, long firstSequence, Optional<Previous> previous, boolean hasFooter) {

    /** Validates the components. */
    public Segment {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(previous, "previous");
    }

    /** The segment's file name, for example {@code 00000000000000000000.jsonl}. */
    public String fileName() {
        return path.getFileName().toString();
    }

    /**
     * The {@code previous} object of a segment header: what the writer knew about the preceding segment when it
     * created this one.
     *
     * @param file         file name of the preceding segment
     * @param lastSequence sequence number of the record this segment's chain continues from (always this segment's
     *                     first sequence minus one)
     * @param lastChain    that record's chain hash, 64 lowercase hex digits
     * @param records      number of complete record lines in the preceding segment file
     * @param sha256       SHA-256 of all bytes of the preceding segment file, 64 lowercase hex digits, in a version 1
     *                     header; empty in a version 2 header, which does not state it (docs/FILE-FORMAT.md)
     */
    public record Previous(String file, long lastSequence, String lastChain, long records, String sha256) {

        /** Validates the components. */
        public Previous {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(lastChain, "lastChain");
            Objects.requireNonNull(sha256, "sha256");
        }
    }
}
