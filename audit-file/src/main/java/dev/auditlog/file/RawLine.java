package dev.auditlog.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One raw line of a segment file, as stored, for verifiers that check headers, footers and records themselves.
 *
 * @param offset     byte offset of the line's first byte in the file
 * @param bytes      the line's bytes without the terminating {@code '\n'}
 * @param terminated whether the line ends with {@code '\n'}; only the last line of a file can be unterminated (a
 *                   torn write)
 */
public record RawLine(long offset, byte[] bytes, boolean terminated) {

    /** Validates the components. */
    public RawLine {
        Objects.requireNonNull(bytes, "bytes");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
    }

    /** The line kind, from its prefix. */
    public Kind kind() {
        if (startsWith(SEGMENT_PREFIX)) {
            return Kind.SEGMENT_HEADER;
        }
        if (startsWith(FOOTER_PREFIX)) {
            return Kind.SEGMENT_FOOTER;
        }
        if (startsWith(RECORD_PREFIX)) {
            return Kind.RECORD;
        }
        return Kind.UNKNOWN;
    }

    /** Number of bytes the line occupies in the file, including its terminator if it has one. */
    public long storedLength() {
        return bytes.length + (terminated ? 1 : 0);
    }

    /** The line decoded as UTF-8 (malformed input replaced), for messages. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private boolean startsWith(byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawLine r && r.offset == offset && r.terminated == terminated
                && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "RawLine[offset=" + offset + ", length=" + bytes.length + ", terminated=" + terminated + "]";
    }

    private static final byte[] SEGMENT_PREFIX = "{\"segment\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FOOTER_PREFIX = "{\"segmentSeal\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_PREFIX = "{\"v\":".getBytes(StandardCharsets.US_ASCII);

    /** What a line is, decided by its prefix alone (see {@code docs/FILE-FORMAT.md}). */
    public enum Kind {
        /** Starts with <code>{"segment":</code>: the first line of every segment. */
        SEGMENT_HEADER,
        /**
         * Starts with <code>{"segmentSeal":</code>: a segment footer, the last line of a rotated segment (the
         * on-disk key keeps its older name, see {@code docs/FILE-FORMAT.md}).
         */
        SEGMENT_FOOTER,
        /** Starts with <code>{"v":</code>: a sealed record. */
        RECORD,
        /** Anything else: corruption. */
        UNKNOWN
    }
}
