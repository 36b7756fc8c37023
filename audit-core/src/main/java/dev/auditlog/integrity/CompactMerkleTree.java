package dev.auditlog.integrity;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 6962 Merkle tree that keeps only O(log n) state: the roots of the perfect subtrees along
 * the tree's right border (a "compact range" covering leaves {@code [0, size)}).
 *
 * <p>For a tree of size {@code n} the state is one hash per set bit of {@code n}, ordered from the leftmost
 * (largest) subtree to the rightmost (smallest). A writer can persist {@link #size()} and
 * {@link #subtreeHashes()} and later resume with {@link #restore(long, List)}.
 *
 * <p>Instances are mutable and <strong>not thread-safe</strong>; use {@link #copy()} to snapshot.
 */
public final class CompactMerkleTree {

    private static final byte NODE_PREFIX = 0x01;
    private final ArrayList<byte[]> subtrees;
    private long size;
    /** For {@link #appendOwned}; created on first use (a digest ends every use reset). */
    private MessageDigest nodeDigest;

    private CompactMerkleTree(long size, ArrayList<byte[]> subtrees) {
        this.size = size;
        this.subtrees = subtrees;
    }

    /**
     * Creates an empty tree.
     *
     * @return a new tree of size 0
     */
    public static CompactMerkleTree empty() {
        return new CompactMerkleTree(0, new ArrayList<>());
    }

    /**
     * Restores a tree from its persisted state.
     *
     * @param size the number of leaves, {@code >= 0}
     * @param subtreeHashes the perfect subtree roots as returned by {@link #subtreeHashes()}: exactly
     *     {@code Long.bitCount(size)} hashes of 32 bytes each, largest subtree first
     * @return a tree that continues from that state
     * @throws NullPointerException if {@code subtreeHashes} or an element is null
     * @throws IllegalArgumentException if the size is negative, the hash count does not match the size or a
     *     hash is not 32 bytes
     */
    public static CompactMerkleTree restore(long size, List<byte[]> subtreeHashes) {
        Checks.nonNegative(size, "size");
        Checks.notNull(subtreeHashes, "subtreeHashes");
        int expected = Long.bitCount(size);
        if (subtreeHashes.size() != expected) {
            throw new IllegalArgumentException("subtreeHashes must contain exactly bitCount(size) = " + expected
                    + " hashes for size " + size + ", got " + subtreeHashes.size());
        }
        ArrayList<byte[]> copy = new ArrayList<>(Math.max(expected, 1));
        for (int i = 0; i < expected; i++) {
            copy.add(Checks.copyOfLength(subtreeHashes.get(i), MerkleHashes.HASH_SIZE, "subtreeHashes[" + i + "]"));
        }
        return new CompactMerkleTree(size, copy);
    }

    /**
     * Appends the hash of the next leaf (normally {@link MerkleHashes#leafHash(byte[])} of the leaf data).
     *
     * @param leafHash a 32-byte leaf hash
     * @throws NullPointerException if {@code leafHash} is null
     * @throws IllegalArgumentException if {@code leafHash} is not 32 bytes
     * @throws IllegalStateException if the tree already holds {@code Long.MAX_VALUE} leaves
     */
    public void append(byte[] leafHash) {
        // One copy, then the merges hash in place with this tree's digest: the log's dispatcher appends every record.
        appendOwned(Checks.copyOfLength(leafHash, MerkleHashes.HASH_SIZE, "leafHash"));
    }

    /**
     * {@link #append} of a 32-byte leaf hash the caller hands over (it keeps no reference to it): no copy, and each
     * merge hashes into that array with this tree's own digest, so a verifier appends millions of leaves without
     * allocating.
     */
    void appendOwned(byte[] leafHash) {
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("tree size must stay <= Long.MAX_VALUE");
        }
        byte[] current = leafHash;
        MessageDigest md = null;
        for (long n = size; (n & 1) == 1; n >>>= 1) {
            if (md == null) {
                md = digest();
            }
            md.update(NODE_PREFIX);
            md.update(subtrees.remove(subtrees.size() - 1));
            md.update(current);
            try {
                md.digest(current, 0, MerkleHashes.HASH_SIZE);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 digest failed", e);
            }
        }
        subtrees.add(current);
        size++;
    }

    private MessageDigest digest() {
        if (nodeDigest == null) {
            nodeDigest = Sha256.newDigest();
        }
        return nodeDigest;
    }

    /**
     * Hashes {@code data} as a leaf and appends it.
     *
     * @param data the leaf data
     * @return the appended 32-byte leaf hash
     * @throws NullPointerException if {@code data} is null
     */
    public byte[] appendData(byte[] data) {
        byte[] leaf = MerkleHashes.leafHash(data);
        append(leaf);
        return leaf;
    }

    /**
     * Returns the number of leaves appended so far.
     *
     * @return the tree size
     */
    public long size() {
        return size;
    }

    /**
     * Returns the RFC 6962 Merkle Tree Hash (MTH) over all leaves appended so far; the empty-tree hash when
     * the size is 0.
     *
     * @return a fresh 32-byte root hash
     */
    public byte[] rootHash() {
        if (subtrees.isEmpty()) {
            return MerkleHashes.emptyRoot();
        }
        byte[] root = subtrees.get(subtrees.size() - 1).clone();
        for (int i = subtrees.size() - 2; i >= 0; i--) {
            root = MerkleHashes.nodeHash(subtrees.get(i), root);
        }
        return root;
    }

    /**
     * Returns the state needed by {@link #restore(long, List)}: the roots of the perfect subtrees on the right
     * border, largest (leftmost) first.
     *
     * @return an unmodifiable list of fresh copies
     */
    public List<byte[]> subtreeHashes() {
        List<byte[]> out = new ArrayList<>(subtrees.size());
        for (byte[] h : subtrees) {
            out.add(h.clone());
        }
        return List.copyOf(out);
    }

    /**
     * Returns an independent copy of this tree.
     *
     * @return a new tree with the same state
     */
    public CompactMerkleTree copy() {
        ArrayList<byte[]> copy = new ArrayList<>(subtrees.size());
        for (byte[] h : subtrees) {
            copy.add(h.clone());
        }
        return new CompactMerkleTree(size, copy);
    }

    /** Returns a short description with the size and root hash (hex). */
    @Override
    public String toString() {
        return "CompactMerkleTree[size=" + size + ", root=" + java.util.HexFormat.of().formatHex(rootHash()) + "]";
    }
}
