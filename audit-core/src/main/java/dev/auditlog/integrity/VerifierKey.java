package dev.auditlog.integrity;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A named Ed25519 public key used to verify C2SP signed notes and checkpoints.
 *
 * <p>The key id is the first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || publicKey). The text
 * encoding is compatible with {@code golang.org/x/mod/sumdb/note}:
 * {@code <name>+<8 lowercase hex key id>+<base64(0x01 || publicKey)>}.
 *
 * <p>Immutable and thread-safe.
 */
public final class VerifierKey {

    private final String name;
    private final byte[] publicKey;
    private final int keyId;
    private final Ed25519PublicKeyParameters params;

    private VerifierKey(String name, byte[] publicKey) {
        this.name = name;
        this.publicKey = publicKey;
        this.keyId = KeyNames.keyId(name, publicKey);
        try {
            this.params = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("publicKey is not a valid Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Creates a verifier key from a name and a raw 32-byte Ed25519 public key.
     *
     * @param name the key name: non-empty, without '+' and without Unicode spaces
     * @param publicKey the 32-byte RFC 8032 public key
     * @return the verifier key
     * @throws IllegalArgumentException if the name is invalid or the key is not a 32-byte Ed25519 public key
     */
    public static VerifierKey of(String name, byte[] publicKey) {
        KeyNames.check(name, "name");
        return new VerifierKey(name, Checks.copyOfLength(publicKey, 32, "publicKey"));
    }

    /**
     * Parses the encoding {@code <name>+<8 hex key id>+<base64(0x01 || publicKey)>}, checking that the key id
     * matches the name and key.
     *
     * @param encoded the encoded verifier key (surrounding whitespace is not allowed)
     * @return the verifier key
     * @throws IllegalArgumentException if the encoding is malformed, the algorithm is not Ed25519 or the key
     *     id does not match
     */
    public static VerifierKey parse(String encoded) {
        Checks.notNull(encoded, "encoded");
        String[] parts = encoded.split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("verifier key must have the form <name>+<keyid>+<base64 key>, got "
                    + parts.length + " '+'-separated fields");
        }
        String name = KeyNames.check(parts[0], "verifier key name");
        int id = KeyNames.parseKeyIdHex(parts[1], "verifier key");
        byte[] raw = Checks.strictBase64(parts[2], "verifier key data");
        if (raw.length != 33 || raw[0] != KeyNames.ALG_ED25519) {
            throw new IllegalArgumentException("verifier key data must be 0x01 (Ed25519) followed by 32 bytes, got "
                    + raw.length + " bytes" + (raw.length > 0 ? " with algorithm byte " + (raw[0] & 0xFF) : ""));
        }
        VerifierKey key = new VerifierKey(name, Arrays.copyOfRange(raw, 1, 33));
        if (key.keyId != id) {
            throw new IllegalArgumentException("verifier key id must equal SHA-256(name || 0x0A || 0x01 || key)[:4] = "
                    + key.keyIdHex() + ", got " + parts[1]);
        }
        return key;
    }

    /**
     * Returns the key name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the raw Ed25519 public key.
     *
     * @return a fresh copy of the 32-byte public key
     */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Returns the key id, an unsigned 32-bit value held in an {@code int}.
     *
     * @return the key id
     */
    public int keyId() {
        return keyId;
    }

    /**
     * Returns the key id as 8 lowercase hex digits.
     *
     * @return the key id in hex
     */
    public String keyIdHex() {
        return KeyNames.keyIdHex(keyId);
    }

    /**
     * Returns the text encoding {@code <name>+<keyid>+<base64(0x01 || publicKey)>}.
     *
     * @return the encoded key
     */
    public String encode() {
        byte[] raw = new byte[33];
        raw[0] = KeyNames.ALG_ED25519;
        System.arraycopy(publicKey, 0, raw, 1, 32);
        return name + "+" + keyIdHex() + "+" + Checks.base64(raw);
    }

    /**
     * Verifies an Ed25519 signature over {@code message}.
     *
     * @param message the signed bytes
     * @param signature the signature (valid signatures are 64 bytes)
     * @return {@code true} if the signature is valid for this key
     */
    public boolean verify(byte[] message, byte[] signature) {
        Checks.notNull(message, "message");
        Checks.notNull(signature, "signature");
        if (signature.length != 64) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** Two verifier keys are equal when their names and public keys are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey && ((VerifierKey) o).name.equals(name)
                && MessageDigest.isEqual(((VerifierKey) o).publicKey, publicKey);
    }

    /** Hash code consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(publicKey);
    }

    /** Returns {@link #encode()}. */
    @Override
    public String toString() {
        return encode();
    }
}
