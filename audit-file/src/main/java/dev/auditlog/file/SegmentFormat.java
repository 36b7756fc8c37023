package dev.auditlog.file;

import dev.auditlog.spi.ChainIds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a segment file, exactly as {@code docs/FILE-FORMAT.md} specifies them: its name, its header line
 * (the first line) and its footer line (the last line of a rotated segment), and the one rule for whether a footer
 * matches the segment it ends.
 */
final class SegmentFormat {
    public static final String SUFFIX = ".jsonl";
    static final HexFormat HEX = HexFormat.of();
    /** The on-disk JSON key of the footer; it predates the name "footer" and stays for format compatibility. */
    static final String FOOTER_KEY = "segmentSeal";

    private static final Pattern FILE_NAME = Pattern.compile("([0-9]{20})\\.jsonl");
    private static final String NUM = "(0|[1-9][0-9]{0,18})";
    private static final String HEX64 = "([0-9a-f]{64})";
    /** The segment format this writer writes: version 2, without the whole-file SHA-256 (docs/FILE-FORMAT.md). */
    public static final int VERSION = 2;
    // Version 1 headers and footers carry "sha256"; version 2 ones do not. Group 1 of HEADER is the version.
    private static final Pattern HEADER = Pattern.compile("\\{\"segment\":\\{\"v\":([12]),\"log\":\"(" + ChainIds.RULE
            + ")\",\"first\":" + NUM + ",\"previous\":(null|\\{\"file\":\"([0-9]{20}\\.jsonl)\",\"lastSequence\":"
            + NUM + ",\"lastChain\":\"" + HEX64 + "\",\"records\":" + NUM + "(?:,\"sha256\":\"" + HEX64
            + "\")?\\})\\}\\}");
    private static final Pattern FOOTER = Pattern.compile("\\{\"" + FOOTER_KEY + "\":\\{\"log\":\"(" + ChainIds.RULE
            + ")\",\"first\":" + NUM + ",\"lastSequence\":" + NUM + ",\"records\":" + NUM + ",\"lastChain\":\""
            + HEX64 + "\"(?:,\"sha256\":\"" + HEX64 + "\")?\\}\\}");
    /** Longer lines cannot be headers or footers; parsing stops early on garbage. */
    private static final int MAX_META_LINE = 1024;

    private SegmentFormat() {
    }

    /**
     * A parsed header line.
     *
     * @param version 1 (links and footers carry the SHA-256 of the file) or 2 (they do not)
     */
    public record Header(int version, String logId, long first, Optional<Segment.Previous> previous) {
    }

    /**
     * A segment footer: parsed from a footer line, or computed from a segment's contents to compare with one.
     *
     * @param lastChain the chain hash of record {@code lastSequence} in hex; null for a segment without records
     * @param sha256    SHA-256 of the segment's bytes before the footer line, in hex; empty in a version 2 segment
     */
    public record Footer(String logId, long first, long lastSequence, long records, String lastChain, String sha256) {
    }

    public static String fileName(long first) {
        return String.format("%020d%s", first, SUFFIX);
    }

    /** The first sequence encoded in a segment file name, or empty when the name is not a segment's. */
    public static OptionalLong firstOf(String fileName) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A header line of {@code version}; version 2 leaves out {@code previous.sha256}. */
    public static byte[] header(int version, String logId, long first, Segment.Previous previous) {
        StringBuilder b = new StringBuilder(320).append("{\"segment\":{\"v\":").append(version).append(",\"log\":\"")
                .append(logId)
                .append("\",\"first\":").append(first).append(",\"previous\":");
        if (previous == null) {
            b.append("null");
        } else {
            b.append("{\"file\":\"").append(previous.file()).append("\",\"lastSequence\":")
                    .append(previous.lastSequence()).append(",\"lastChain\":\"").append(previous.lastChain())
                    .append("\",\"records\":").append(previous.records());
            if (version == 1) {
                b.append(",\"sha256\":\"").append(previous.sha256()).append('"');
            }
            b.append('}');
        }
        return b.append("}}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The footer line (without its {@code '\n'}); without {@code sha256} when it is empty (version 2). */
    public static byte[] footer(Footer f) {
        return ("{\"" + FOOTER_KEY + "\":{\"log\":\"" + f.logId() + "\",\"first\":" + f.first() + ",\"lastSequence\":"
                + f.lastSequence() + ",\"records\":" + f.records() + ",\"lastChain\":\"" + f.lastChain() + "\""
                + (f.sha256().isEmpty() ? "" : ",\"sha256\":\"" + f.sha256() + "\"") + "}}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @throws IllegalArgumentException when the line is not a header line in the exact format */
    public static Header parseHeader(byte[] line) {
        Matcher m = match(HEADER, line, "segment header");
        int version = m.group(1).charAt(0) - '0';
        boolean sha = m.group(9) != null;
        if (!m.group(4).equals("null") && sha != (version == 1)) {
            throw new IllegalArgumentException("malformed segment header line: previous.sha256 is "
                    + (version == 1 ? "required in version 1" : "not part of version 2"));
        }
        Optional<Segment.Previous> previous = m.group(4).equals("null") ? Optional.empty()
                : Optional.of(new Segment.Previous(m.group(5), number(m.group(6)), m.group(7), number(m.group(8)),
                sha ? m.group(9) : ""));
        return new Header(version, m.group(2), number(m.group(3)), previous);
    }

    /** @throws IllegalArgumentException when the line is not a footer line in the exact format */
    public static Footer parseFooter(byte[] line) {
        Matcher m = match(FOOTER, line, "segment footer");
        return new Footer(m.group(1), number(m.group(2)), number(m.group(3)), number(m.group(4)), m.group(5),
                m.group(6) == null ? "" : m.group(6));
    }


    /**
     * The one footer rule (docs/FILE-FORMAT.md, "Footer"): {@code line} is a footer in the exact format and says
     * what {@code contents} says, the segment holds at least one record, and {@code lastSequence = first + records - 1}.
     *
     * @param contents the footer the segment's contents call for: its log id, the first sequence from its header, its
     *                 last record's sequence and chain hash, its number of records and the SHA-256 of its bytes before
     *                 the footer line
     * @return why the line does not end that segment, or empty when it does
     */
    public static Optional<String> checkFooter(byte[] line, Footer contents) {
        Footer said;
        try {
            said = parseFooter(line);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (said.equals(contents) && said.records() >= 1
                && said.lastSequence() == said.first() + said.records() - 1) {
            return Optional.empty();
        }
        return Optional.of("segment footer does not match the segment's contents: it says " + said
                + "; the contents give " + contents);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of what {@code d} has seen so far, leaving {@code d} as it is. */
    static byte[] digestSoFar(MessageDigest d) {
        try {
            return ((MessageDigest) d.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    private static Matcher match(Pattern p, byte[] line, String what) {
        if (line.length > MAX_META_LINE) {
            throw new IllegalArgumentException("malformed " + what + " line: " + line.length + " bytes long");
        }
        Matcher m = p.matcher(new String(line, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed " + what + " line (see docs/FILE-FORMAT.md for the exact"
                    + " layout)");
        }
        return m;
    }

    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number out of range: " + digits);
        }
    }
}
