package dev.auditlog.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The record hash chain used by the audit log core. Every record body is hashed as an RFC 6962 leaf and folded
 * into a running chain hash that starts from a per-log genesis value:
 *
 * <ul>
 *   <li>{@code genesis(logId) = SHA-256(0x03 || "auditlog/v1" (ASCII) || logId (UTF-8))}</li>
 *   <li>{@code leaf(body) = SHA-256(0x00 || body)} (the RFC 6962 leaf hash, as in {@code MerkleHashes.leafHash})</li>
 *   <li>{@code next(previous, leafHash) = SHA-256(0x02 || previous || leafHash)}</li>
 * </ul>
 *
 * <p>The distinct prefix bytes (0x00 leaf, 0x01 Merkle node, 0x02 chain link, 0x03 genesis) keep the domains
 * separate. Methods are thread-safe and allocate a new result array; for a hot path use {@link ChainHasher}.
 */
public final class ChainHash {

    /** Size in bytes of every chain hash (SHA-256). */
    public static final int HASH_SIZE = 32;

    static final byte LEAF_PREFIX = 0x00;
    static final byte CHAIN_PREFIX = 0x02;
    static final byte GENESIS_PREFIX = 0x03;
    static final byte[] GENESIS_TAG = "auditlog/v1".getBytes(StandardCharsets.US_ASCII);

    private ChainHash() {
    }

    /**
     * Returns the chain value before the first record of the log {@code logId}.
     *
     * @param logId the log's identifier (encoded as UTF-8; any string, may be empty)
     * @return the 32-byte genesis chain hash
     */
    public static byte[] genesis(String logId) {
        java.util.Objects.requireNonNull(logId, "logId");
        MessageDigest md = newDigest();
        md.update(GENESIS_PREFIX);
        md.update(GENESIS_TAG);
        md.update(logId.getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }

    /**
     * Returns the leaf hash of a record body, SHA-256(0x00 || body).
     *
     * @param body the record's canonical bytes
     * @return the 32-byte leaf hash
     */
    public static byte[] leaf(byte[] body) {
        java.util.Objects.requireNonNull(body, "body");
        MessageDigest md = newDigest();
        md.update(LEAF_PREFIX);
        md.update(body);
        return md.digest();
    }

    /**
     * Folds a record's leaf hash into the chain: SHA-256(0x02 || previousChain || leafHash).
     *
     * @param previousChain the previous chain hash (or the genesis), 32 bytes
     * @param leafHash the record's leaf hash, 32 bytes
     * @return the new 32-byte chain hash
     * @throws IllegalArgumentException if an argument is not 32 bytes
     */
    public static byte[] next(byte[] previousChain, byte[] leafHash) {
        checkHash(previousChain, "previousChain");
        checkHash(leafHash, "leafHash");
        MessageDigest md = newDigest();
        md.update(CHAIN_PREFIX);
        md.update(previousChain);
        md.update(leafHash);
        return md.digest();
    }

    static void checkHash(byte[] value, String name) {
        java.util.Objects.requireNonNull(value, name);
        if (value.length != HASH_SIZE) {
            throw new IllegalArgumentException(
                    name + " must be exactly 32 bytes, got " + value.length + " bytes");
        }
    }

    /** A fresh SHA-256 digest; SHA-256 is mandatory on every Java platform. */
    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available on this JVM", e);
        }
    }
}
