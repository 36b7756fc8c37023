package dev.auditlog.integrity;

import java.util.ArrayList;
import java.util.List;

/**
 * The verifier's view of a log's keys (docs/FORMAT.md, section 12): the keys it trusts, the key that signs the log
 * at the point reached, and the keys rotated away from. The first signed note of the log must verify under a
 * trusted key, which becomes the active key; every later note must verify under the active key; a key rotation
 * signed by the active key (and by the new key) makes the new key active, whether or not it was trusted, and retires
 * the old one. A note by any other key, a trusted one included, is a key change that was never declared.
 * Remembers which key signed which range for the report. Used by {@link ChainVerifier}; not thread-safe.
 */
final class KeyRing {
    private final List<VerifierKey> trusted;
    private VerifierKey active;
    private final List<VerifierKey> retired = new ArrayList<>();
    private final List<KeyRange> ranges = new ArrayList<>();
    private long activeFirst = -1;
    private long activeLast = -1;
    private long activeSince = -1;

    KeyRing(List<VerifierKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    static String id(VerifierKey k) {
        return k.name() + "+" + k.keyIdHex();
    }

    boolean isEmpty() {
        return trusted.isEmpty();
    }

    /** The trusted keys, for messages. */
    String names() {
        StringBuilder b = new StringBuilder();
        for (VerifierKey k : trusted) {
            b.append(b.length() == 0 ? "" : ", ").append(id(k));
        }
        return b.toString();
    }

    /** A checkpoint of the log at record {@code seq}, under the active key. */
    Checkpoint checkpoint(String note, long seq, String origin) throws NoteVerificationException {
        VerifierKey k = signer(note, seq);
        Checkpoint cp = Checkpoint.verify(note, k, origin);
        used(k, seq);
        return cp;
    }

    /** A retention statement at record {@code seq} (or -1 for the copy storage keeps), under the active key. */
    RetentionStatement retention(String note, long seq, String logId) throws NoteVerificationException {
        VerifierKey k = signer(note, seq);
        RetentionStatement s = RetentionStatement.verify(note, k, logId);
        if (seq >= 0) {
            used(k, seq);
        }
        return s;
    }

    /** A key rotation at record {@code seq}: signed by the active key and the new one; the new key becomes active. */
    KeyRotation rotation(String note, long seq, String logId) throws NoteVerificationException {
        KeyRotation r = KeyRotation.verify(note, logId);
        VerifierKey expected = active != null ? active : trustedByName(r.from());
        if (expected == null || !expected.equals(r.from())) {
            throw new NoteVerificationException(NoteVerificationException.Reason.UNKNOWN_KEY, "the rotation is from "
                    + id(r.from()) + ", which is " + (active != null ? "not the log's key at this point (" + id(active)
                    + ")" : "not a trusted key (" + names() + ")"));
        }
        used(expected, seq);
        retired.add(expected);
        ranges.add(new KeyRange(id(expected), activeFirst, activeLast, id(r.to())));
        active = r.to();
        activeSince = seq;
        activeFirst = -1;
        activeLast = -1;
        return r;
    }

    private VerifierKey trustedByName(VerifierKey k) {
        for (VerifierKey t : trusted) {
            if (t.equals(k)) {
                return t;
            }
        }
        return null;
    }

    /** The key a note at {@code seq} must verify under, or why none can. */
    private VerifierKey signer(String note, long seq) throws NoteVerificationException {
        List<String> signers = SignedNote.signers(note);
        if (active != null) {
            if (signers.contains(id(active))) {
                return active;
            }
            for (VerifierKey r : retired) {
                if (signers.contains(id(r))) {
                    throw new NoteVerificationException(NoteVerificationException.Reason.UNKNOWN_KEY, "signed by "
                            + id(r) + ", which the log rotated away from; its key since record " + activeSince
                            + " is " + id(active) + " (a note made with a retired key)");
                }
            }
            throw new NoteVerificationException(NoteVerificationException.Reason.UNKNOWN_KEY, "signed by "
                    + (signers.isEmpty() ? "no key" : String.join(", ", signers)) + ", but the log's key at this"
                    + " point is " + id(active) + (activeSince >= 0 ? " (rotated to at record " + activeSince + ")"
                    : "") + ": a key change without a key rotation record");
        }
        for (VerifierKey t : trusted) {
            if (signers.contains(id(t))) {
                return t;
            }
        }
        throw new NoteVerificationException(NoteVerificationException.Reason.UNKNOWN_KEY, "note has no signature by"
                + " a trusted key (" + names() + "); signatures present by " + signers);
    }

    private void used(VerifierKey k, long seq) {
        if (active == null) {
            active = k;
        }
        if (activeFirst < 0) {
            activeFirst = seq;
        }
        activeLast = Math.max(activeLast, seq);
    }

    /** Every key this ring has seen or trusts: trusted, retired and active. */
    List<VerifierKey> known() {
        List<VerifierKey> out = new ArrayList<>(trusted);
        out.addAll(retired);
        if (active != null) {
            out.add(active);
        }
        return out;
    }

    /** Which key signed which range, in order. */
    List<KeyRange> ranges() {
        List<KeyRange> out = new ArrayList<>(ranges);
        if (active != null && activeFirst >= 0) {
            out.add(new KeyRange(id(active), activeFirst, activeLast, ""));
        }
        return out;
    }
}
