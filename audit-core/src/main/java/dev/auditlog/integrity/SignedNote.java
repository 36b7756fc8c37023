package dev.auditlog.integrity;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, compatible with
 * {@code golang.org/x/mod/sumdb/note}.
 *
 * <p>A signed note is the text (ending in a newline), a blank line, and one or more signature lines
 * {@code "— <key name> <base64(4-byte big-endian key id || 64-byte signature)>\n"} (U+2014 EM DASH, space).
 * The signature covers the UTF-8 bytes of the text including its final newline. Notes must be valid UTF-8
 * and contain no ASCII control characters other than newline.
 *
 * <p>{@link #open(String, VerifierKey)} trusts only the single pinned key: signature lines whose name or key id
 * differ from it are ignored, every line matching it must verify, and at least one must be present.
 */
public final class SignedNote {

    /** The signature line prefix: U+2014 EM DASH followed by a space. */
    public static final String SIGNATURE_PREFIX = "\u2014 ";

    /** Maximum number of signature lines accepted by {@link #open(String, VerifierKey)}. */
    public static final int MAX_SIGNATURES = 100;

    private SignedNote() {
    }

    /**
     * Signs a note text with one or more keys.
     *
     * @param text the note text: non-empty, ending with {@code "\n"}, no ASCII control characters other than
     *     newline, no unpaired surrogates
     * @param keys the signing keys (at least one, no two with the same name and key id)
     * @return the signed note: text, blank line, one signature line per key in the given order
     * @throws IllegalArgumentException if the text or keys break these rules
     */
    public static String sign(String text, SigningKey... keys) {
        checkText(text, "text");
        Checks.notNull(keys, "keys");
        if (keys.length == 0) {
            throw new IllegalArgumentException("keys must contain at least one signing key, got 0");
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length() + 1 + keys.length * 128).append(text).append('\n');
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            SigningKey key = Checks.notNull(keys[i], "keys[" + i + "]");
            String id = key.name() + "+" + key.verifierKey().keyIdHex();
            if (!seen.add(id)) {
                throw new IllegalArgumentException("keys must not repeat a key, got " + id + " twice");
            }
            byte[] sig = key.sign(message);
            byte[] blob = ByteBuffer.allocate(4 + sig.length).putInt(key.keyId()).put(sig).array();
            out.append(SIGNATURE_PREFIX).append(key.name()).append(' ').append(Checks.base64(blob)).append('\n');
        }
        return out.toString();
    }

    /**
     * Verifies a signed note against one pinned key and returns its text.
     *
     * @param note the signed note
     * @param key the only trusted key
     * @return the verified note text (including its final newline, excluding the blank separator line)
     * @throws NoteVerificationException with reason {@code MALFORMED} if the note is not a well-formed signed
     *     note, {@code UNKNOWN_KEY} if no signature line matches the pinned key's name and key id, or
     *     {@code BAD_SIGNATURE} if a signature by the pinned key fails to verify
     */
    public static String open(String note, VerifierKey key) throws NoteVerificationException {
        Checks.notNull(note, "note");
        Checks.notNull(key, "key");
        int bad = Checks.firstInvalidNoteChar(note);
        if (bad >= 0) {
            throw malformed("note must be valid UTF-8 without ASCII control characters other than newline, found "
                    + Checks.describeChar(note, bad));
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw malformed("note must contain a blank line separating the text from the signatures");
        }
        String text = note.substring(0, split + 1);
        String sigs = note.substring(split + 2);
        if (sigs.isEmpty() || sigs.charAt(sigs.length() - 1) != '\n') {
            throw malformed("note must end with at least one newline-terminated signature line");
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        List<String> others = new ArrayList<>();
        int count = 0;
        int verified = 0;
        int start = 0;
        while (start < sigs.length()) {
            int end = sigs.indexOf('\n', start);
            String line = sigs.substring(start, end);
            start = end + 1;
            if (++count > MAX_SIGNATURES) {
                throw malformed("note must have at most " + MAX_SIGNATURES + " signature lines");
            }
            if (!line.startsWith(SIGNATURE_PREFIX)) {
                throw malformed("signature line " + count + " must start with U+2014 EM DASH and a space, got \""
                        + Checks.abbreviate(line) + "\"");
            }
            String rest = line.substring(SIGNATURE_PREFIX.length());
            int space = rest.indexOf(' ');
            if (space < 0) {
                throw malformed("signature line " + count + " must be \"— <name> <base64>\", got \""
                        + Checks.abbreviate(line) + "\"");
            }
            String name = rest.substring(0, space);
            String b64 = rest.substring(space + 1);
            if (!KeyNames.isValid(name)) {
                throw malformed("signature line " + count + " has an invalid key name \"" + Checks.abbreviate(name)
                        + "\"");
            }
            byte[] blob;
            try {
                blob = Checks.strictBase64(b64, "signature line " + count);
            } catch (IllegalArgumentException e) {
                throw new NoteVerificationException(NoteVerificationException.Reason.MALFORMED, e.getMessage(), e);
            }
            if (blob.length < 5) {
                throw malformed("signature line " + count + " must decode to a 4-byte key id and a signature, got "
                        + blob.length + " bytes");
            }
            int id = ByteBuffer.wrap(blob, 0, 4).getInt();
            if (!name.equals(key.name()) || id != key.keyId()) {
                others.add(name + "+" + KeyNames.keyIdHex(id));
                continue;
            }
            byte[] sig = new byte[blob.length - 4];
            System.arraycopy(blob, 4, sig, 0, sig.length);
            if (!key.verify(message, sig)) {
                throw new NoteVerificationException(NoteVerificationException.Reason.BAD_SIGNATURE,
                        "signature line " + count + " by pinned key " + key.name() + "+" + key.keyIdHex()
                                + " does not verify");
            }
            verified++;
        }
        if (verified == 0) {
            throw new NoteVerificationException(NoteVerificationException.Reason.UNKNOWN_KEY,
                    "note has no signature by pinned key " + key.name() + "+" + key.keyIdHex()
                            + "; signatures present by " + others);
        }
        return text;
    }

    /**
     * The text of a signed note (up to and including the newline before the blank line), without checking any
     * signature.
     *
     * @throws NoteVerificationException with reason {@code MALFORMED} when there is no blank line
     */
    static String textOf(String note) throws NoteVerificationException {
        Checks.notNull(note, "note");
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw malformed("note must contain a blank line separating the text from the signatures");
        }
        return note.substring(0, split + 1);
    }

    /**
     * Who signed a note, as {@code <name>+<8 hex key id>} per signature line, in order, without checking the
     * signatures; empty when the note is malformed. For messages only.
     */
    public static List<String> signers(String note) {
        List<String> out = new ArrayList<>();
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            return out;
        }
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(SIGNATURE_PREFIX)) {
                continue;
            }
            String[] parts = line.substring(SIGNATURE_PREFIX.length()).split(" ", 2);
            if (parts.length != 2) {
                continue;
            }
            try {
                byte[] blob = java.util.Base64.getDecoder().decode(parts[1]);
                if (blob.length >= 4) {
                    out.add(parts[0] + "+" + KeyNames.keyIdHex(ByteBuffer.wrap(blob, 0, 4).getInt()));
                }
            } catch (IllegalArgumentException e) {
                // not base64: not a signer anyone could be
            }
        }
        return out;
    }

    /** Validates note text for signing or for a checkpoint body. */
    static void checkText(String text, String field) {
        Checks.notNull(text, field);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new IllegalArgumentException(field + " must be non-empty and end with a newline, got \""
                    + Checks.abbreviate(text) + "\"");
        }
        int bad = Checks.firstInvalidNoteChar(text);
        if (bad >= 0) {
            throw new IllegalArgumentException(field
                    + " must be valid UTF-8 without ASCII control characters other than newline, found "
                    + Checks.describeChar(text, bad));
        }
    }

    private static NoteVerificationException malformed(String message) {
        return new NoteVerificationException(NoteVerificationException.Reason.MALFORMED, message);
    }
}
