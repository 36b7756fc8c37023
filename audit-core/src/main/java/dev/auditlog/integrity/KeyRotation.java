package dev.auditlog.integrity;

import dev.auditlog.spi.LogIds;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signed key rotation: the key that signed a log so far ({@link #from()}) introduces the key that signs it from
 * here on ({@link #to()}), in a note signed by both (docs/FORMAT.md, section 12). It is sealed into the log as a
 * {@code key} record; like a checkpoint it commits to everything before it, under the old key. A verifier that
 * trusts the old key follows it to the new one, and from then on accepts only the new key.
 *
 * <p>Text form, a C2SP signed note whose text is a tlog checkpoint with its own origin:
 * <pre>
 * auditlog/&lt;log id&gt;/key
 * &lt;R, the sequence number of the key record&gt;
 * &lt;base64 Merkle root of records 0 … R-1&gt;
 * chain &lt;base64 chain hash of record R-1&gt;
 * from &lt;old verifier key&gt;
 * to &lt;new verifier key&gt;
 * time &lt;RFC 3339 UTC&gt;
 * </pre>
 * followed by two signature lines: the old key's, then the new key's.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyRotation {
    /** The extension line naming the old key. */
    public static final String FROM_PREFIX = "from ";
    /** The extension line naming the new key. */
    public static final String TO_PREFIX = "to ";

    private final String logId;
    private final Checkpoint text;
    private final VerifierKey from;
    private final VerifierKey to;

    private KeyRotation(String logId, Checkpoint text, VerifierKey from, VerifierKey to) {
        this.logId = logId;
        this.text = text;
        this.from = from;
        this.to = to;
    }

    /** The origin line of the key rotations of {@code logId}: {@code auditlog/<logId>/key}. */
    public static String origin(String logId) {
        return Checkpoint.origin(logId) + "/key";
    }

    /**
     * A rotation of {@code logId} from {@code from} to {@code to}, recorded as record {@code size} of the log.
     *
     * @param size      the sequence number of the key record (the tree it commits to is records 0 … size-1)
     * @param root      the Merkle root of records {@code 0 … size-1}
     * @param chainHead the chain hash of record {@code size-1}
     * @throws IllegalArgumentException when the keys are the same, or a value breaks its rule
     */
    public static KeyRotation of(String logId, long size, byte[] root, byte[] chainHead, VerifierKey from,
                                 VerifierKey to, Instant time) {
        LogIds.check(logId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to) || (from.name().equals(to.name()) && from.keyId() == to.keyId())) {
            throw new IllegalArgumentException("a key rotation needs a new key: from and to are both " + from.name()
                    + "+" + from.keyIdHex());
        }
        Checkpoint text = Checkpoint.of(origin(logId), size, root, List.of(Checkpoint.chainExtension(chainHead),
                FROM_PREFIX + from.encode(), TO_PREFIX + to.encode(), Checkpoint.timeExtension(time)));
        return new KeyRotation(logId, text, from, to);
    }

    /**
     * Signs the rotation with the old key, then the new one: the old key's holder introduces the new key and the new
     * key's holder accepts it.
     *
     * @throws IllegalArgumentException when the keys are not the ones the rotation names
     */
    public String sign(SigningKey oldKey, SigningKey newKey) {
        if (!oldKey.verifierKey().equals(from) || !newKey.verifierKey().equals(to)) {
            throw new IllegalArgumentException("sign a rotation with its own keys: from " + KeyRing.id(from) + " to "
                    + KeyRing.id(to) + ", got " + KeyRing.id(oldKey.verifierKey()) + " and "
                    + KeyRing.id(newKey.verifierKey()));
        }
        return SignedNote.sign(text.toText(), oldKey, newKey);
    }

    /**
     * Parses a signed key rotation of {@code logId} and verifies both of its signatures: by the old key it names and
     * by the new key it names. Whether the old key is one the verifier trusts is the caller's question.
     *
     * @throws NoteVerificationException when a signature is missing or does not verify, or the text is not a key
     *     rotation of this log
     */
    public static KeyRotation verify(String signedNote, String logId) throws NoteVerificationException {
        String body = SignedNote.textOf(signedNote);
        Checkpoint cp;
        try {
            cp = Checkpoint.parse(body);
        } catch (IllegalArgumentException e) {
            throw invalid("not a key rotation: " + e.getMessage());
        }
        if (!cp.origin().equals(origin(logId))) {
            throw invalid("key rotation origin must be \"" + origin(logId) + "\", got \"" + cp.origin() + "\"");
        }
        List<String> ext = cp.extensionLines();
        if (ext.size() != 4 || !ext.get(0).startsWith(Checkpoint.CHAIN_PREFIX) || !ext.get(1).startsWith(FROM_PREFIX)
                || !ext.get(2).startsWith(TO_PREFIX) || !ext.get(3).startsWith(Checkpoint.TIME_PREFIX)) {
            throw invalid("a key rotation's text is exactly 7 lines (origin, size, root, chain, from, to, time), this"
                    + " one has " + (3 + ext.size()) + (ext.size() == 4 ? " in another order" : ""));
        }
        VerifierKey from = null;
        VerifierKey to = null;
        for (String line : ext) {
            try {
                if (line.startsWith(FROM_PREFIX)) {
                    if (from != null) {
                        throw invalid("a key rotation names one old key");
                    }
                    from = VerifierKey.parse(line.substring(FROM_PREFIX.length()));
                } else if (line.startsWith(TO_PREFIX)) {
                    if (to != null) {
                        throw invalid("a key rotation names one new key");
                    }
                    to = VerifierKey.parse(line.substring(TO_PREFIX.length()));
                }
            } catch (IllegalArgumentException e) {
                throw invalid("bad key in key rotation: " + e.getMessage());
            }
        }
        if (from == null || to == null || cp.chainHash().isEmpty() || cp.time().isEmpty()) {
            throw invalid("a key rotation needs a chain, from, to and time line");
        }
        if (from.name().equals(to.name()) && from.keyId() == to.keyId()) {
            throw invalid("a key rotation must introduce a different key, got " + KeyRing.id(from) + " twice");
        }
        SignedNote.open(signedNote, from);
        SignedNote.open(signedNote, to);
        return new KeyRotation(logId, cp, from, to);
    }

    private static NoteVerificationException invalid(String message) {
        return new NoteVerificationException(NoteVerificationException.Reason.INVALID_CHECKPOINT, message);
    }

    /** The log id. */
    public String logId() {
        return logId;
    }

    /** The sequence number of the key record; the rotation commits to records {@code 0 … size-1}. */
    public long size() {
        return text.size();
    }

    /** The Merkle root of records {@code 0 … size-1} (a copy). */
    public byte[] rootHash() {
        return text.rootHash();
    }

    /** The chain hash of record {@code size-1} (a copy). */
    public byte[] chainHash() {
        return text.chainHash().orElseThrow();
    }

    /** The key that signed the log before the rotation. */
    public VerifierKey from() {
        return from;
    }

    /** The key that signs the log from the rotation on. */
    public VerifierKey to() {
        return to;
    }

    /** When the rotation was made. */
    public Instant time() {
        return text.time().orElseThrow();
    }

    @Override
    public String toString() {
        return "KeyRotation[" + logId + " at " + size() + ": " + KeyRing.id(from) + " -> " + KeyRing.id(to) + "]";
    }
}
