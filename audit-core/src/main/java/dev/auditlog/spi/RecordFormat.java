package dev.auditlog.spi;

import dev.auditlog.AuditEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The record layout of docs/FORMAT.md ({@code "v":2} for the types version 2 added, retention and key):
 * <pre>{"v":1,"log":"LOG","seq":N,"sealedAt":"TIME","type":"TYPE","TYPE":PAYLOAD,"chain":"HEX64"}</pre>
 * The body (what the leaf hash covers) is the line without its trailer {@code ,"chain":"HEX64"}}.
 */
final class RecordFormat {
    public static final int VERSION = 1;
    public static final String TYPE_EVENT = "event";
    public static final String TYPE_CHECKPOINT = "checkpoint";
    /** Version 2: a signed retention statement (docs/FORMAT.md section 11); its records carry {@code "v":2}. */
    public static final String TYPE_RETENTION = "retention";
    /** Version 2: a signed key rotation statement (docs/FORMAT.md section 12); its records carry {@code "v":2}. */
    public static final String TYPE_KEY = "key";

    static final byte[] PREFIX = ascii("{\"v\":1,\"log\":\"");
    static final byte[] PREFIX_V2 = ascii("{\"v\":2,\"log\":\"");
    static final byte[] SEQ = ascii("\",\"seq\":");
    static final byte[] SEALED_AT = ascii(",\"sealedAt\":\"");
    static final byte[] TYPE = ascii("\",\"type\":\"");
    static final byte[] CHAIN = ascii(",\"chain\":\"");
    /** Length of {@code ,"chain":"<64 hex>"}}. */
    public static final int TRAILER_LENGTH = CHAIN.length + 64 + 2;

    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z_]{0,31}");
    private static final ThreadLocal<ChainHasher> HASHER = ThreadLocal.withInitial(ChainHasher::new);

    private RecordFormat() {
    }

    /** What {@link #parse} reads from a line. */
    public record Parsed(String logId, long sequence, String type, int payloadStart, byte[] leafHash,
                         byte[] chainHash) {
    }

    /** Parses the fixed layout of a line; computes the leaf hash. */
    public static Parsed parse(byte[] line) {
        int n = line.length;
        if (n < PREFIX.length + TRAILER_LENGTH) {
            throw malformed("line too short (" + n + " bytes)");
        }
        int body = n - TRAILER_LENGTH;
        boolean v2 = line[5] == '2';
        int p = expect(line, 0, v2 ? PREFIX_V2 : PREFIX, "record prefix {\"v\":1,\"log\":\" (or version 2)");
        int q = indexOf(line, p, body, (byte) '"');
        String logId = LAST_LOG_ID.get();
        if (!sameAscii(line, p, q, logId)) { // a reader sees the same log id over and over: parse it once
            logId = new String(line, p, q - p, StandardCharsets.US_ASCII);
            if (!ChainIds.isValid(logId)) {
                throw malformed("bad chain id in the log member (must match " + ChainIds.RULE + ")");
            }
            LAST_LOG_ID.set(logId);
        }
        p = expect(line, q, SEQ, "\"seq\"");
        int digits = p;
        long seq = 0;
        while (p < body && line[p] >= '0' && line[p] <= '9') {
            if (seq > (Long.MAX_VALUE - 9) / 10) {
                throw malformed("sequence number overflows");
            }
            seq = seq * 10 + (line[p] - '0');
            p++;
        }
        if (p == digits || (line[digits] == '0' && p - digits > 1)) {
            throw malformed("sequence number must be a decimal without leading zeros at offset " + digits);
        }
        p = expect(line, p, SEALED_AT, "\"sealedAt\"");
        q = indexOf(line, p, body, (byte) '"');
        String timeProblem = Times.canonicalProblem(line, p, q);
        if (timeProblem != null) {
            throw malformed("sealedAt " + timeProblem + " at offset " + p);
        }
        p = expect(line, q, TYPE, "\"type\"");
        q = indexOf(line, p, body, (byte) '"');
        String type = sameAscii(line, p, q, TYPE_EVENT) ? TYPE_EVENT
                : sameAscii(line, p, q, TYPE_CHECKPOINT) ? TYPE_CHECKPOINT
                : new String(line, p, q - p, StandardCharsets.US_ASCII);
        if (type != TYPE_EVENT && type != TYPE_CHECKPOINT && !isVersion2(type)) {
            throw malformed(TYPE_NAME.matcher(type).matches() ? "unknown record type \"" + type + "\" (known: "
                    + TYPE_EVENT + ", " + TYPE_CHECKPOINT + ", " + TYPE_RETENTION + ", " + TYPE_KEY + ")"
                    : "bad record type (must match " + TYPE_NAME.pattern() + ")");
        }
        if (v2 != isVersion2(type)) {
            throw malformed("a record of type \"" + type + "\" must have \"v\":" + (isVersion2(type) ? 2 : 1));
        }
        // Then ","<type>": — the payload is named by the type.
        p = expect(line, q, TYPE_KEY_OPEN, "payload key \"" + type + "\"");
        if (!sameAscii(line, p, Math.min(p + type.length(), body), type)) {
            throw malformed("expected payload key \"" + type + "\" at offset " + p);
        }
        p = expect(line, p + type.length(), TYPE_KEY_CLOSE, "payload key \"" + type + "\"");
        if (p >= body || line[p] != '{' || line[body - 1] != '}') {
            throw malformed("payload must be a JSON object at offset " + p);
        }
        // Raw CR and LF are among what the canonical-form check below rejects, in the same pass.
        expect(line, body, CHAIN, "trailer ,\"chain\":\"");
        if (line[n - 2] != '"' || line[n - 1] != '}') {
            throw malformed("line must end with \"}");
        }
        String canonical = CanonicalShapes.check(line, 0, n);
        if (canonical != null) {
            throw malformed("not canonical JSON (docs/FORMAT.md section 2.1): " + canonical);
        }
        byte[] chain = new byte[32];
        for (int i = 0, at = body + CHAIN.length; i < 32; i++, at += 2) {
            int hi = LOWER_HEX[line[at] & 0xFF];
            int lo = LOWER_HEX[line[at + 1] & 0xFF];
            if ((hi | lo) < 0) {
                throw malformed("chain hash must be 64 lowercase hex digits");
            }
            chain[i] = (byte) (hi << 4 | lo);
        }
        byte[] leaf = new byte[32];
        HASHER.get().leaf(line, 0, body, leaf);
        return new Parsed(logId, seq, type, p, leaf, chain);
    }

    /** Whether records of this type are written as version 2 (the types version 2 introduced). */
    static boolean isVersion2(String type) {
        return TYPE_RETENTION.equals(type) || TYPE_KEY.equals(type);
    }

    public static Instant sealedAt(byte[] line) {
        int p = indexOf(line, 0, line.length, SEALED_AT) + SEALED_AT.length;
        int q = indexOf(line, p, line.length, (byte) '"');
        Instant canonical = Times.parseCanonical(line, p, q);
        if (canonical != null) {
            return canonical;
        }
        try {
            return Instant.parse(new String(line, p, q - p, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            throw malformed("sealedAt is not an RFC 3339 UTC instant at offset " + p);
        }
    }

    public static AuditEvent event(byte[] line, int payloadStart, long sequence) {
        try {
            return EventJsonReader.fromJson(Arrays.copyOfRange(line, payloadStart, line.length - TRAILER_LENGTH));
        } catch (IOException | IllegalStateException e) {
            throw malformed("event payload of record " + sequence + " is not a valid event: " + e.getMessage());
        }
    }

    private static final ThreadLocal<String> LAST_LOG_ID = new ThreadLocal<>();
    private static final byte[] TYPE_KEY_OPEN = ascii("\",\"");
    private static final byte[] TYPE_KEY_CLOSE = ascii("\":");

    private static boolean sameAscii(byte[] line, int from, int to, String s) {
        if (s == null || to - from != s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (line[i] != s.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /** The value of each lowercase hex digit, -1 for every other byte: one load per digit of the chain hash. */
    private static final byte[] LOWER_HEX = new byte[256];

    static {
        Arrays.fill(LOWER_HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            LOWER_HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            LOWER_HEX[c] = (byte) (c - 'a' + 10);
        }
    }

    private static int expect(byte[] line, int at, byte[] token, String what) {
        if (at + token.length > line.length || !Arrays.equals(line, at, at + token.length, token, 0, token.length)) {
            throw malformed("expected " + what + " at offset " + at);
        }
        return at + token.length;
    }

    private static int indexOf(byte[] line, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        throw malformed("missing '" + (char) b + "' after offset " + from);
    }

    private static int indexOf(byte[] line, int from, int to, byte[] token) {
        outer:
        for (int i = from; i <= to - token.length; i++) {
            for (int j = 0; j < token.length; j++) {
                if (line[i + j] != token[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw malformed("missing " + new String(token, StandardCharsets.US_ASCII));
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("malformed record: " + why);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
