package dev.auditlog.integrity;

import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainIds;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint): origin, tree size, RFC 6962 root hash and optional
 * extension lines, signed as a C2SP note.
 *
 * <p>Text form: {@code <origin>\n<size>\n<base64 root hash>\n} followed by {@code <extension line>\n} for
 * each extension line. The size is ASCII decimal without leading zeros; the root hash is 32 bytes in standard
 * padded base64.
 *
 * <p>auditlog defines two extension lines; each may appear at most once, and a line starting with
 * {@code "chain "} or {@code "time "} must be well-formed (this is checked on construction and parsing):
 * <ul>
 *   <li>{@code chain <base64 of the 32-byte chain hash>} &mdash; the log's record chain head ({@link ChainHash})
 *       after the last record covered by this checkpoint, e.g.
 *       {@code chain 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=};</li>
 *   <li>{@code time <RFC 3339 UTC instant>} &mdash; when the checkpoint was made, in the canonical
 *       {@link Instant#toString()} form ({@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, fraction of 3, 6 or 9 digits
 *       only when non-zero, years 0000-9999), e.g. {@code time 2025-01-31T12:00:00Z}.</li>
 * </ul>
 * Other extension lines are kept verbatim.
 *
 * <p>Immutable and thread-safe.
 */
public final class Checkpoint {

    /** Prefix of the chain head extension line. */
    public static final String CHAIN_PREFIX = "chain ";
    /** Prefix of the timestamp extension line. */
    public static final String TIME_PREFIX = "time ";

    private static final Instant MIN_TIME = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final String origin;
    private final long size;
    private final byte[] rootHash;
    private final List<String> extensions;
    private final byte[] chainHash;
    private final Instant time;

    private Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
        this.origin = origin;
        this.size = size;
        this.rootHash = rootHash;
        this.extensions = extensions;
        byte[] chain = null;
        Instant t = null;
        for (int i = 0; i < extensions.size(); i++) {
            String line = extensions.get(i);
            String field = "extensionLines[" + i + "]";
            if (line.startsWith(CHAIN_PREFIX)) {
                if (chain != null) {
                    throw new IllegalArgumentException(field + " must not repeat the \"chain\" extension line");
                }
                chain = Checks.strictBase64(line.substring(CHAIN_PREFIX.length()), field + " chain hash");
                if (chain.length != ChainHash.HASH_SIZE) {
                    throw new IllegalArgumentException(field + " chain hash must be 32 bytes, got " + chain.length
                            + " bytes");
                }
            } else if (line.startsWith(TIME_PREFIX)) {
                if (t != null) {
                    throw new IllegalArgumentException(field + " must not repeat the \"time\" extension line");
                }
                t = parseTime(line.substring(TIME_PREFIX.length()), field);
            }
        }
        this.chainHash = chain;
        this.time = t;
    }

    /** The origin line auditlog gives the checkpoints of chain {@code logId} (a chain id): {@code auditlog/<chain id>}. */
    public static String origin(String logId) {
        return "auditlog/" + ChainIds.check(logId);
    }

    /**
     * Creates a checkpoint.
     *
     * @param origin the log origin: non-empty, no newline or other ASCII control characters
     * @param size the tree size, {@code >= 0}
     * @param rootHash the 32-byte RFC 6962 root hash (copied)
     * @param extensionLines extension lines (copied): each non-empty, without newline or other ASCII control
     *     characters; {@code chain }/{@code time } lines must be well-formed and unique
     * @return the checkpoint
     * @throws IllegalArgumentException naming the offending field if a rule is broken
     */
    public static Checkpoint of(String origin, long size, byte[] rootHash, List<String> extensionLines) {
        checkLine(origin, "origin");
        Checks.nonNegative(size, "size");
        byte[] root = Checks.copyOfLength(rootHash, MerkleHashes.HASH_SIZE, "rootHash");
        Checks.notNull(extensionLines, "extensionLines");
        List<String> ext = new ArrayList<>(extensionLines.size());
        for (int i = 0; i < extensionLines.size(); i++) {
            String line = extensionLines.get(i);
            checkLine(line, "extensionLines[" + i + "]");
            ext.add(line);
        }
        return new Checkpoint(origin, size, root, List.copyOf(ext));
    }

    /**
     * Creates a checkpoint without extension lines.
     *
     * @param origin the log origin
     * @param size the tree size
     * @param rootHash the 32-byte root hash
     * @return the checkpoint
     */
    public static Checkpoint of(String origin, long size, byte[] rootHash) {
        return of(origin, size, rootHash, List.of());
    }

    /**
     * Returns the {@code chain} extension line for a chain hash.
     *
     * @param chainHash the 32-byte chain hash
     * @return {@code "chain " + base64(chainHash)}
     */
    public static String chainExtension(byte[] chainHash) {
        return CHAIN_PREFIX + Checks.base64(Checks.copyOfLength(chainHash, ChainHash.HASH_SIZE, "chainHash"));
    }

    /**
     * Returns the {@code time} extension line for an instant.
     *
     * @param time the instant, with a year in 0000-9999
     * @return {@code "time " + time.toString()}
     * @throws IllegalArgumentException if the year is outside 0000-9999
     */
    public static String timeExtension(Instant time) {
        Checks.notNull(time, "time");
        if (time.isBefore(MIN_TIME) || time.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException("time must have a year in 0000-9999 for RFC 3339, got " + time);
        }
        return TIME_PREFIX + time;
    }

    /**
     * Returns a copy with the {@code chain} extension line set (replacing an existing one in place, otherwise
     * appended).
     *
     * @param chainHash the 32-byte chain hash
     * @return the new checkpoint
     */
    public Checkpoint withChainHash(byte[] chainHash) {
        return withExtension(CHAIN_PREFIX, chainExtension(chainHash));
    }

    /**
     * Returns a copy with the {@code time} extension line set (replacing an existing one in place, otherwise
     * appended).
     *
     * @param time the instant
     * @return the new checkpoint
     */
    public Checkpoint withTime(Instant time) {
        return withExtension(TIME_PREFIX, timeExtension(time));
    }

    private Checkpoint withExtension(String prefix, String line) {
        List<String> ext = new ArrayList<>(extensions);
        boolean replaced = false;
        for (int i = 0; i < ext.size(); i++) {
            if (ext.get(i).startsWith(prefix)) {
                ext.set(i, line);
                replaced = true;
            }
        }
        if (!replaced) {
            ext.add(line);
        }
        return new Checkpoint(origin, size, rootHash, List.copyOf(ext));
    }

    /**
     * Returns the origin line.
     *
     * @return the origin
     */
    public String origin() {
        return origin;
    }

    /**
     * Returns the tree size.
     *
     * @return the number of leaves
     */
    public long size() {
        return size;
    }

    /**
     * Returns the root hash.
     *
     * @return a fresh copy of the 32-byte root hash
     */
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /**
     * Returns all extension lines in order, including {@code chain} and {@code time} lines.
     *
     * @return an unmodifiable list
     */
    public List<String> extensionLines() {
        return extensions;
    }

    /**
     * Returns the chain head hash from the {@code chain} extension line, if present.
     *
     * @return a fresh copy of the 32-byte chain hash, or empty
     */
    public Optional<byte[]> chainHash() {
        return chainHash == null ? Optional.empty() : Optional.of(chainHash.clone());
    }

    /**
     * Returns the instant from the {@code time} extension line, if present.
     *
     * @return the timestamp, or empty
     */
    public Optional<Instant> time() {
        return Optional.ofNullable(time);
    }

    /**
     * Returns the checkpoint's note text: origin, size, base64 root hash and extension lines, each followed by
     * a newline.
     *
     * @return the note text
     */
    public String toText() {
        StringBuilder sb = new StringBuilder(origin).append('\n').append(size).append('\n')
                .append(Checks.base64(rootHash)).append('\n');
        for (String line : extensions) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Strictly parses checkpoint note text (as produced by {@link #toText()}).
     *
     * @param text the note text; must end with a newline and have at least three lines
     * @return the checkpoint
     * @throws IllegalArgumentException naming the offending line if the text is malformed
     */
    public static Checkpoint parse(String text) {
        SignedNote.checkText(text, "checkpoint text");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new IllegalArgumentException("checkpoint text must have at least 3 lines (origin, size, root hash),"
                    + " got " + lines.length);
        }
        long size = parseSize(lines[1]);
        byte[] root = Checks.strictBase64(lines[2], "checkpoint root hash");
        if (root.length != MerkleHashes.HASH_SIZE) {
            throw new IllegalArgumentException("checkpoint root hash must be 32 bytes, got " + root.length
                    + " bytes");
        }
        return of(lines[0], size, root, Arrays.asList(lines).subList(3, lines.length));
    }

    private static long parseSize(String s) {
        boolean digits = !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new IllegalArgumentException("checkpoint size must be ASCII decimal without leading zeros, got \""
                    + Checks.abbreviate(s) + "\"");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint size must be <= " + Long.MAX_VALUE + ", got \""
                    + Checks.abbreviate(s) + "\"", e);
        }
    }

    /**
     * Signs this checkpoint, producing a C2SP signed note.
     *
     * @param key the log's signing key (its name should equal the origin)
     * @return the signed note
     */
    public String sign(SigningKey key) {
        return SignedNote.sign(toText(), Checks.notNull(key, "key"));
    }

    /**
     * Verifies a signed checkpoint against the pinned key and parses it.
     *
     * @param signedNote the signed checkpoint note
     * @param key the only trusted key
     * @return the checkpoint
     * @throws NoteVerificationException if the note does not verify (see {@link SignedNote#open}) or its text is
     *     not a valid checkpoint ({@code INVALID_CHECKPOINT})
     */
    public static Checkpoint verify(String signedNote, VerifierKey key) throws NoteVerificationException {
        String text = SignedNote.open(signedNote, key);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new NoteVerificationException(NoteVerificationException.Reason.INVALID_CHECKPOINT,
                    e.getMessage(), e);
        }
    }

    /**
     * Verifies a signed checkpoint against the pinned key, parses it and checks its origin.
     *
     * @param signedNote the signed checkpoint note
     * @param key the only trusted key
     * @param expectedOrigin the origin the checkpoint must have
     * @return the checkpoint
     * @throws NoteVerificationException as {@link #verify(String, VerifierKey)}, or with
     *     {@code INVALID_CHECKPOINT} if the origin differs
     */
    public static Checkpoint verify(String signedNote, VerifierKey key, String expectedOrigin)
            throws NoteVerificationException {
        Checks.notNull(expectedOrigin, "expectedOrigin");
        Checkpoint cp = verify(signedNote, key);
        if (!cp.origin.equals(expectedOrigin)) {
            throw new NoteVerificationException(NoteVerificationException.Reason.INVALID_CHECKPOINT,
                    "checkpoint origin must be \"" + expectedOrigin + "\", got \"" + cp.origin + "\"");
        }
        return cp;
    }

    private static void checkLine(String line, String field) {
        Checks.notNull(line, field);
        if (line.isEmpty()) {
            throw new IllegalArgumentException(field + " must be non-empty");
        }
        int bad = Checks.firstInvalidNoteChar(line);
        if (bad >= 0 || line.indexOf('\n') >= 0) {
            int at = bad >= 0 ? bad : line.indexOf('\n');
            throw new IllegalArgumentException(field + " must not contain newlines, ASCII control characters or"
                    + " unpaired surrogates, found " + Checks.describeChar(line, at));
        }
    }

    private static Instant parseTime(String value, String field) {
        Instant t = canonicalTime(value);
        if (t != null) {
            return t;
        }
        try {
            t = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " time must be an RFC 3339 UTC instant like"
                    + " 2025-01-31T12:00:00Z, got \"" + Checks.abbreviate(value) + "\"", e);
        }
        if (!t.toString().equals(value) || t.isBefore(MIN_TIME) || t.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException(field + " time must be in canonical form " + t + ", got \""
                    + Checks.abbreviate(value) + "\"");
        }
        return t;
    }

    /**
     * The instant of a time written exactly as {@link Instant#toString()} writes one of year 0000-9999
     * ({@code YYYY-MM-DDTHH:MM:SSZ}, with the fewest of 3, 6 or 9 fraction digits that hold it exactly, none when
     * zero), without a formatter; null for anything else, which {@link #parseTime} then judges the slow way. A
     * verifier reads a checkpoint every thousand records, and {@code Instant.parse} plus {@code toString} were most
     * of a checkpoint's parsing.
     */
    static Instant canonicalTime(String v) {
        int n = v.length();
        if ((n != 20 && n != 24 && n != 27 && n != 30) || v.charAt(4) != '-' || v.charAt(7) != '-'
                || v.charAt(10) != 'T' || v.charAt(13) != ':' || v.charAt(16) != ':' || v.charAt(n - 1) != 'Z'
                || (n > 20 && v.charAt(19) != '.')) {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int f = n - 21;
            int fraction = digits(v, 20, f);
            if (fraction <= 0 || (f > 3 && fraction % 1000 == 0)) {
                return null; // not digits, an all-zero fraction, or more digits than toString writes
            }
            nanos = fraction * (f == 3 ? 1_000_000 : f == 6 ? 1_000 : 1);
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    private static int digits(String v, int at, int count) {
        int x = 0;
        for (int i = at; i < at + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            x = x * 10 + (c - '0');
        }
        return x;
    }

    /** Checkpoints are equal when origin, size, root hash and extension lines are equal. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Checkpoint)) {
            return false;
        }
        Checkpoint c = (Checkpoint) o;
        return origin.equals(c.origin) && size == c.size && MessageDigest.isEqual(rootHash, c.rootHash)
                && extensions.equals(c.extensions);
    }

    /** Hash code consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(rootHash), extensions);
    }

    /** Returns the note text with newlines shown as {@code \n}. */
    @Override
    public String toString() {
        return "Checkpoint[" + toText().replace("\n", "\\n") + "]";
    }
}
