package dev.auditlog.integrity;

import java.security.MessageDigest;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256.
 *
 * <ul>
 *   <li>leaf hash = SHA-256(0x00 || data)</li>
 *   <li>node hash = SHA-256(0x01 || left || right)</li>
 *   <li>empty tree root = SHA-256("")</li>
 * </ul>
 *
 * <p>All methods are thread-safe; each thread reuses one {@link MessageDigest}. Every returned array is a
 * fresh copy owned by the caller.
 */
public final class MerkleHashes {

    /** Size in bytes of every hash produced by this class (SHA-256). */
    public static final int HASH_SIZE = Sha256.SIZE;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final byte[] EMPTY_ROOT = Sha256.digest().digest();

    private MerkleHashes() {
    }

    /**
     * Returns the RFC 6962 leaf hash SHA-256(0x00 || data).
     *
     * @param data the leaf's data (any length, may be empty)
     * @return the 32-byte leaf hash
     * @throws NullPointerException if {@code data} is null
     */
    public static byte[] leafHash(byte[] data) {
        Checks.notNull(data, "data");
        MessageDigest md = Sha256.digest();
        md.update(LEAF_PREFIX);
        md.update(data);
        return md.digest();
    }

    /**
     * Returns the RFC 6962 interior node hash SHA-256(0x01 || left || right).
     *
     * <p>The children are normally 32-byte hashes, but any length is accepted (the hash is defined over the
     * concatenation).
     *
     * @param left the left child's hash
     * @param right the right child's hash
     * @return the 32-byte node hash
     * @throws NullPointerException if an argument is null
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        Checks.notNull(left, "left");
        Checks.notNull(right, "right");
        MessageDigest md = Sha256.digest();
        md.update(NODE_PREFIX);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * Returns the root hash of the empty tree, SHA-256 of the empty string.
     *
     * @return a fresh copy of {@code e3b0c442...b855}
     */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }
}
