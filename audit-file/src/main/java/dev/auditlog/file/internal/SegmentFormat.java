package dev.auditlog.file.internal;

import dev.auditlog.file.Segment;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Segment file names, header and seal lines, exactly as {@code docs/FILE-FORMAT.md} specifies them. */
public final class SegmentFormat {
    public static final String SUFFIX = ".jsonl";
    public static final Pattern LOG_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final HexFormat HEX = HexFormat.of();

    private static final Pattern FILE_NAME = Pattern.compile("([0-9]{20})\\.jsonl");
    private static final String NUM = "(0|[1-9][0-9]{0,18})";
    private static final String HEX64 = "([0-9a-f]{64})";
    private static final Pattern HEADER = Pattern.compile("\\{\"segment\":\\{\"v\":1,\"log\":\"([A-Za-z0-9._-]{1,128})\","
            + "\"first\":" + NUM + ",\"previous\":(null|\\{\"file\":\"([0-9]{20}\\.jsonl)\",\"lastSequence\":" + NUM
            + ",\"lastChain\":\"" + HEX64 + "\",\"records\":" + NUM + ",\"sha256\":\"" + HEX64 + "\"\\})\\}\\}");
    private static final Pattern SEAL = Pattern.compile("\\{\"segmentSeal\":\\{\"log\":\"([A-Za-z0-9._-]{1,128})\","
            + "\"first\":" + NUM + ",\"lastSequence\":" + NUM + ",\"records\":" + NUM + ",\"lastChain\":\"" + HEX64
            + "\",\"sha256\":\"" + HEX64 + "\"\\}\\}");
    /** Longer lines cannot be headers or seals; parsing stops early on garbage. */
    private static final int MAX_META_LINE = 1024;

    private SegmentFormat() {
    }

    /** A parsed header line. */
    public record Header(String logId, long first, Optional<Segment.Previous> previous) {
    }

    /** A parsed seal line. */
    public record Seal(String logId, long first, long lastSequence, long records, String lastChain, String sha256) {
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

    public static byte[] header(String logId, long first, Segment.Previous previous) {
        StringBuilder b = new StringBuilder(320).append("{\"segment\":{\"v\":1,\"log\":\"").append(logId)
                .append("\",\"first\":").append(first).append(",\"previous\":");
        if (previous == null) {
            b.append("null");
        } else {
            b.append("{\"file\":\"").append(previous.file()).append("\",\"lastSequence\":")
                    .append(previous.lastSequence()).append(",\"lastChain\":\"").append(previous.lastChain())
                    .append("\",\"records\":").append(previous.records()).append(",\"sha256\":\"")
                    .append(previous.sha256()).append("\"}");
        }
        return b.append("}}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] seal(String logId, long first, long lastSequence, long records, byte[] lastChain,
                              byte[] sha256) {
        return ("{\"segmentSeal\":{\"log\":\"" + logId + "\",\"first\":" + first + ",\"lastSequence\":" + lastSequence
                + ",\"records\":" + records + ",\"lastChain\":\"" + HEX.formatHex(lastChain) + "\",\"sha256\":\""
                + HEX.formatHex(sha256) + "\"}}").getBytes(StandardCharsets.US_ASCII);
    }

    /** @throws IllegalArgumentException when the line is not a header line in the exact format */
    public static Header parseHeader(byte[] line) {
        Matcher m = match(HEADER, line, "segment header");
        Optional<Segment.Previous> previous = m.group(3).equals("null") ? Optional.empty()
                : Optional.of(new Segment.Previous(m.group(4), number(m.group(5)), m.group(6), number(m.group(7)),
                m.group(8)));
        return new Header(m.group(1), number(m.group(2)), previous);
    }

    /** @throws IllegalArgumentException when the line is not a seal line in the exact format */
    public static Seal parseSeal(byte[] line) {
        Matcher m = match(SEAL, line, "segment seal");
        return new Seal(m.group(1), number(m.group(2)), number(m.group(3)), number(m.group(4)), m.group(5),
                m.group(6));
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
