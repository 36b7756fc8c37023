package dev.auditlog.integrity;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A named Ed25519 private key (32-byte RFC 8032 seed) used to sign C2SP notes and checkpoints.
 *
 * <p>The text encoding is compatible with {@code golang.org/x/mod/sumdb/note}:
 * {@code PRIVATE+KEY+<name>+<8 lowercase hex key id>+<base64(0x01 || seed)>}, where the key id is that of the
 * corresponding {@link VerifierKey}. {@link #toString()} never reveals the seed.
 *
 * <p>Immutable and thread-safe.
 */
public final class SigningKey {

    private static final String PREFIX = "PRIVATE+KEY+";

    private final String name;
    private final byte[] seed;
    private final Ed25519PrivateKeyParameters params;
    private final VerifierKey verifierKey;

    private SigningKey(String name, byte[] seed) {
        this.name = name;
        this.seed = seed;
        this.params = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifierKey = VerifierKey.of(name, params.generatePublicKey().getEncoded());
    }

    /**
     * Creates a signing key from a name and a 32-byte Ed25519 seed (the RFC 8032 "secret key").
     *
     * @param name the key name: non-empty, without '+' and without Unicode spaces
     * @param seed the 32-byte seed (copied)
     * @return the signing key
     * @throws IllegalArgumentException if the name is invalid or the seed is not 32 bytes
     */
    public static SigningKey of(String name, byte[] seed) {
        KeyNames.check(name, "name");
        return new SigningKey(name, Checks.copyOfLength(seed, 32, "seed"));
    }

    /**
     * Parses {@code PRIVATE+KEY+<name>+<keyid>+<base64(0x01 || seed)>}, checking that the key id matches the
     * derived public key.
     *
     * @param encoded the encoded private key (surrounding whitespace is not allowed)
     * @return the signing key
     * @throws IllegalArgumentException if the encoding is malformed (the message never contains key material)
     */
    public static SigningKey parse(String encoded) {
        Checks.notNull(encoded, "encoded");
        if (!encoded.startsWith(PREFIX)) {
            throw new IllegalArgumentException("private key must start with \"" + PREFIX + "\"");
        }
        String[] parts = encoded.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException(
                    "private key must have the form PRIVATE+KEY+<name>+<keyid>+<base64 key>, got "
                            + "fewer fields");
        }
        String name = KeyNames.check(parts[0], "private key name");
        int id = KeyNames.parseKeyIdHex(parts[1], "private key");
        byte[] raw;
        try {
            raw = Checks.strictBase64(parts[2], "private key data");
        } catch (IllegalArgumentException e) {
            // Do not echo key material.
            throw new IllegalArgumentException("private key data must be canonical standard base64 with padding");
        }
        if (raw.length != 33 || raw[0] != KeyNames.ALG_ED25519) {
            int len = raw.length;
            Arrays.fill(raw, (byte) 0);
            throw new IllegalArgumentException(
                    "private key data must be 0x01 (Ed25519) followed by a 32-byte seed, got " + len + " bytes");
        }
        byte[] seed = Arrays.copyOfRange(raw, 1, 33);
        Arrays.fill(raw, (byte) 0);
        SigningKey key = new SigningKey(name, seed);
        if (key.keyId() != id) {
            throw new IllegalArgumentException("private key id must equal the derived public key id "
                    + key.verifierKey.keyIdHex() + ", got " + parts[1]);
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
     * Returns the key id (that of {@link #verifierKey()}).
     *
     * @return the unsigned 32-bit key id held in an {@code int}
     */
    public int keyId() {
        return verifierKey.keyId();
    }

    /**
     * Returns the matching public verifier key.
     *
     * @return the verifier key
     */
    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /**
     * Signs {@code message} with Ed25519 (RFC 8032, pure).
     *
     * @param message the bytes to sign
     * @return the 64-byte signature
     */
    public byte[] sign(byte[] message) {
        Checks.notNull(message, "message");
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, params);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * Returns the secret text encoding {@code PRIVATE+KEY+<name>+<keyid>+<base64(0x01 || seed)>}. Handle the
     * result as a secret.
     *
     * @return the encoded private key
     */
    public String encode() {
        byte[] raw = new byte[33];
        raw[0] = KeyNames.ALG_ED25519;
        System.arraycopy(seed, 0, raw, 1, 32);
        String encoded = PREFIX + name + "+" + verifierKey.keyIdHex() + "+" + Checks.base64(raw);
        Arrays.fill(raw, (byte) 0);
        return encoded;
    }

    /** Two signing keys are equal when their names and seeds are equal (compared in constant time). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey && ((SigningKey) o).name.equals(name)
                && MessageDigest.isEqual(((SigningKey) o).seed, seed);
    }

    /** Hash code derived from the public part only. */
    @Override
    public int hashCode() {
        return verifierKey.hashCode();
    }

    /** Describes the key without revealing the seed. */
    @Override
    public String toString() {
        return "SigningKey[" + name + "+" + verifierKey.keyIdHex() + "]";
    }
}
