package dev.auditlog.spi;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * An allocation-free companion to {@link ChainHash} for hot paths: it owns one {@link MessageDigest} and
 * writes results into caller-provided 32-byte arrays. The output array may be the same array as an input.
 *
 * <p>Instances are <strong>not thread-safe</strong>; use one per thread (for example one per writer).
 */
public final class ChainHasher {

    private final MessageDigest md = ChainHash.newDigest();

    /** Creates a hasher with its own SHA-256 digest. */
    public ChainHasher() {
    }

    /**
     * Computes the leaf hash SHA-256(0x00 || body[offset, offset+length)) into {@code out}.
     *
     * @param body the buffer holding the record body
     * @param offset start of the body in {@code body}
     * @param length length of the body
     * @param out a 32-byte array receiving the leaf hash
     * @throws IndexOutOfBoundsException if the range is outside {@code body}
     * @throws IllegalArgumentException if {@code out} is not 32 bytes
     */
    public void leaf(byte[] body, int offset, int length, byte[] out) {
        java.util.Objects.requireNonNull(body, "body");
        ChainHash.checkHash(out, "out");
        java.util.Objects.checkFromIndexSize(offset, length, body.length);
        md.reset();
        md.update(ChainHash.LEAF_PREFIX);
        md.update(body, offset, length);
        finish(out);
    }

    /**
     * Computes the leaf hash SHA-256(0x00 || body) into {@code out}.
     *
     * @param body the record body
     * @param out a 32-byte array receiving the leaf hash
     * @throws IllegalArgumentException if {@code out} is not 32 bytes
     */
    public void leaf(byte[] body, byte[] out) {
        leaf(java.util.Objects.requireNonNull(body, "body"), 0, body.length, out);
    }

    /**
     * Computes the next chain hash SHA-256(0x02 || previousChain || leafHash) into {@code out}.
     *
     * @param previousChain the previous 32-byte chain hash
     * @param leafHash the record's 32-byte leaf hash
     * @param out a 32-byte array receiving the new chain hash (may be {@code previousChain})
     * @throws IllegalArgumentException if an array is not 32 bytes
     */
    public void next(byte[] previousChain, byte[] leafHash, byte[] out) {
        ChainHash.checkHash(previousChain, "previousChain");
        ChainHash.checkHash(leafHash, "leafHash");
        ChainHash.checkHash(out, "out");
        md.reset();
        md.update(ChainHash.CHAIN_PREFIX);
        md.update(previousChain);
        md.update(leafHash);
        finish(out);
    }

    private void finish(byte[] out) {
        try {
            md.digest(out, 0, out.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 digest failed", e);
        }
    }
}
