package dev.auditlog.integrity;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Generation and verification of RFC 9162 (RFC 6962bis) Merkle inclusion and consistency proofs.
 *
 * <p>Generation follows RFC 9162 section 2.1.3.1 ({@code PATH}) and 2.1.4.1 ({@code PROOF}/{@code SUBPROOF})
 * over a {@link LeafHashes} accessor; proofs list hashes bottom-up. Generation recomputes subtree hashes from
 * the leaf hashes, costing O(treeSize) hash operations per proof. Verification follows the algorithms of
 * sections 2.1.3.2 and 2.1.4.2 exactly, plus input checks: every leaf hash, proof node and root hash used by
 * the algorithms must be 32 bytes.
 *
 * <p>Verification comes in two flavours: {@code check*} methods throw a {@link ProofException} stating the
 * reason, {@code verify*} methods return {@code false} instead. Null arguments always throw
 * {@link NullPointerException}. Tree sizes and indexes are non-negative {@code long}s; negative values are
 * rejected as invalid proofs.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    // ------------------------------------------------------------------------------------------ generation

    /**
     * Computes the RFC 6962 Merkle Tree Hash of the first {@code treeSize} leaves.
     *
     * @param leaves the leaf accessor
     * @param treeSize number of leaves to include, {@code 0 <= treeSize <= leaves.size()}
     * @return the 32-byte root hash (the empty-tree hash for size 0)
     * @throws IllegalArgumentException if {@code treeSize} is out of range
     */
    public static byte[] rootHash(LeafHashes leaves, long treeSize) {
        Checks.notNull(leaves, "leaves");
        checkTreeSize(leaves, treeSize);
        return treeSize == 0 ? MerkleHashes.emptyRoot() : mth(leaves, 0, treeSize);
    }

    /**
     * Generates the inclusion proof (audit path) for leaf {@code leafIndex} in the tree of the first
     * {@code treeSize} leaves, per RFC 9162 section 2.1.3.1.
     *
     * @param leaves the leaf accessor
     * @param leafIndex 0-based index of the leaf, {@code 0 <= leafIndex < treeSize}
     * @param treeSize the tree size, {@code treeSize <= leaves.size()}
     * @return the proof hashes, bottom-up (unmodifiable)
     * @throws IllegalArgumentException if the index or size is out of range
     */
    public static List<byte[]> inclusionProof(LeafHashes leaves, long leafIndex, long treeSize) {
        Checks.notNull(leaves, "leaves");
        checkTreeSize(leaves, treeSize);
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException(
                    "leafIndex must satisfy 0 <= leafIndex < treeSize (" + treeSize + "), got " + leafIndex);
        }
        List<byte[]> proof = new ArrayList<>();
        path(leaves, leafIndex, 0, treeSize, proof);
        return List.copyOf(proof);
    }

    /**
     * Generates the consistency proof between the trees of the first {@code oldSize} and {@code newSize}
     * leaves, per RFC 9162 section 2.1.4.1. The proof is empty when the sizes are equal.
     *
     * @param leaves the leaf accessor
     * @param oldSize the earlier tree size, {@code 0 < oldSize <= newSize}
     * @param newSize the later tree size, {@code newSize <= leaves.size()}
     * @return the proof hashes (unmodifiable)
     * @throws IllegalArgumentException if the sizes are out of range (a proof from size 0 is meaningless)
     */
    public static List<byte[]> consistencyProof(LeafHashes leaves, long oldSize, long newSize) {
        Checks.notNull(leaves, "leaves");
        checkTreeSize(leaves, newSize);
        if (oldSize <= 0 || oldSize > newSize) {
            throw new IllegalArgumentException(
                    "oldSize must satisfy 0 < oldSize <= newSize (" + newSize + "), got " + oldSize);
        }
        List<byte[]> proof = new ArrayList<>();
        if (oldSize < newSize) {
            subproof(leaves, oldSize, 0, newSize, true, proof);
        }
        return List.copyOf(proof);
    }

    private static void checkTreeSize(LeafHashes leaves, long treeSize) {
        long available = leaves.size();
        if (treeSize < 0 || treeSize > available) {
            throw new IllegalArgumentException(
                    "treeSize must satisfy 0 <= treeSize <= leaves.size() (" + available + "), got " + treeSize);
        }
    }

    /** PATH(m, D[start:start+n]) appended bottom-up to {@code out}. */
    private static void path(LeafHashes leaves, long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leaves, m, start, k, out);
            out.add(mth(leaves, start + k, n - k));
        } else {
            path(leaves, m - k, start + k, n - k, out);
            out.add(mth(leaves, start, k));
        }
    }

    /** SUBPROOF(m, D[start:start+n], b) appended to {@code out}. */
    private static void subproof(LeafHashes leaves, long m, long start, long n, boolean b, List<byte[]> out) {
        if (m == n) {
            if (!b) {
                out.add(mth(leaves, start, n));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, start, k, b, out);
            out.add(mth(leaves, start + k, n - k));
        } else {
            subproof(leaves, m - k, start + k, n - k, false, out);
            out.add(mth(leaves, start, k));
        }
    }

    /** MTH(D[start:start+n]) for n >= 1. */
    private static byte[] mth(LeafHashes leaves, long start, long n) {
        if (n == 1) {
            byte[] leaf = Checks.notNull(leaves.leafHash(start), "leaves.leafHash(" + start + ")");
            if (leaf.length != MerkleHashes.HASH_SIZE) {
                throw new IllegalStateException("leaves.leafHash(" + start + ") must return 32 bytes, got "
                        + leaf.length + " bytes");
            }
            return leaf.clone();
        }
        long k = largestPowerOfTwoBelow(n);
        return MerkleHashes.nodeHash(mth(leaves, start, k), mth(leaves, start + k, n - k));
    }

    /** The largest power of two strictly smaller than n, for n >= 2. */
    private static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    // ---------------------------------------------------------------------------------------- verification

    /**
     * Verifies an inclusion proof per RFC 9162 section 2.1.3.2.
     *
     * @param leafIndex 0-based index of the leaf
     * @param treeSize size of the tree the proof is for
     * @param leafHash the 32-byte leaf hash
     * @param proof the inclusion path, bottom-up
     * @param rootHash the 32-byte root hash of the tree of size {@code treeSize}
     * @throws ProofException if the proof does not prove inclusion; the message states why
     */
    public static void checkInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof,
            byte[] rootHash) throws ProofException {
        Checks.notNull(leafHash, "leafHash");
        Checks.notNull(proof, "proof");
        Checks.notNull(rootHash, "rootHash");
        for (int i = 0; i < proof.size(); i++) {
            Checks.notNull(proof.get(i), "proof[" + i + "]");
        }
        if (treeSize < 0 || leafIndex < 0) {
            throw new ProofException("treeSize and leafIndex must be >= 0, got treeSize=" + treeSize
                    + ", leafIndex=" + leafIndex);
        }
        // Step 1.
        if (leafIndex >= treeSize) {
            throw new ProofException("leafIndex " + leafIndex + " must be < treeSize " + treeSize);
        }
        requireHash(leafHash, "leafHash");
        requireHash(rootHash, "rootHash");
        requireHashes(proof);
        // Steps 2-3.
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        // Step 4.
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofException("proof is too long: " + proof.size() + " hashes for leafIndex "
                        + leafIndex + " in treeSize " + treeSize);
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHashes.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = MerkleHashes.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5.
        if (sn != 0) {
            throw new ProofException("proof is too short: " + proof.size() + " hashes for leafIndex "
                    + leafIndex + " in treeSize " + treeSize);
        }
        if (!MessageDigest.isEqual(r, rootHash)) {
            throw new ProofException("calculated root does not match rootHash");
        }
    }

    /**
     * Verifies an inclusion proof per RFC 9162 section 2.1.3.2.
     *
     * @param leafIndex 0-based index of the leaf
     * @param treeSize size of the tree the proof is for
     * @param leafHash the 32-byte leaf hash
     * @param proof the inclusion path, bottom-up
     * @param rootHash the 32-byte root hash of the tree of size {@code treeSize}
     * @return {@code true} if the proof is valid, {@code false} otherwise
     */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof,
            byte[] rootHash) {
        try {
            checkInclusion(leafIndex, treeSize, leafHash, proof, rootHash);
            return true;
        } catch (ProofException e) {
            return false;
        }
    }

    /**
     * Verifies a consistency proof per RFC 9162 section 2.1.4.2.
     *
     * <p>Special cases: {@code oldSize == 0} is always rejected (a consistency proof from the empty tree is
     * meaningless; callers treat the empty tree as trivially consistent themselves), and also when
     * {@code newSize == 0}; {@code oldSize == newSize > 0} is accepted exactly when the proof is empty and the
     * two roots are equal; {@code oldSize > newSize} is rejected.
     *
     * @param oldSize the earlier tree size
     * @param newSize the later tree size
     * @param oldRoot the root hash of the earlier tree
     * @param newRoot the root hash of the later tree
     * @param proof the consistency proof
     * @throws ProofException if the proof does not prove consistency; the message states why
     */
    public static void checkConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
            List<byte[]> proof) throws ProofException {
        Checks.notNull(oldRoot, "oldRoot");
        Checks.notNull(newRoot, "newRoot");
        Checks.notNull(proof, "proof");
        for (int i = 0; i < proof.size(); i++) {
            Checks.notNull(proof.get(i), "proof[" + i + "]");
        }
        if (oldSize < 0 || newSize < 0) {
            throw new ProofException("oldSize and newSize must be >= 0, got oldSize=" + oldSize
                    + ", newSize=" + newSize);
        }
        if (oldSize > newSize) {
            throw new ProofException("oldSize " + oldSize + " must be <= newSize " + newSize);
        }
        // Checked before the equal-sizes case: 0 -> 0 is rejected too.
        if (oldSize == 0) {
            throw new ProofException("a consistency proof from an empty tree (oldSize 0) is meaningless");
        }
        if (oldSize == newSize) {
            if (!proof.isEmpty()) {
                throw new ProofException("oldSize == newSize (" + oldSize + ") requires an empty proof, got "
                        + proof.size() + " hashes");
            }
            if (!MessageDigest.isEqual(oldRoot, newRoot)) {
                throw new ProofException("oldSize == newSize (" + oldSize + ") but oldRoot != newRoot");
            }
            return;
        }
        // RFC 9162 section 2.1.4.2, 0 < first < second. Step 1.
        if (proof.isEmpty()) {
            throw new ProofException("proof is empty but oldSize " + oldSize + " < newSize " + newSize);
        }
        requireHash(oldRoot, "oldRoot");
        requireHash(newRoot, "newRoot");
        requireHashes(proof);
        // Step 2.
        List<byte[]> path = proof;
        if (Long.bitCount(oldSize) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(oldRoot);
            path.addAll(proof);
        }
        // Step 3.
        long fn = oldSize - 1;
        long sn = newSize - 1;
        // Step 4.
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5.
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        // Step 6.
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                throw new ProofException("proof is too long: " + proof.size() + " hashes for oldSize " + oldSize
                        + ", newSize " + newSize);
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHashes.nodeHash(c, fr);
                sr = MerkleHashes.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = MerkleHashes.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 7.
        if (sn != 0) {
            throw new ProofException("proof is too short: " + proof.size() + " hashes for oldSize " + oldSize
                    + ", newSize " + newSize);
        }
        if (!MessageDigest.isEqual(fr, oldRoot)) {
            throw new ProofException("calculated old root does not match oldRoot");
        }
        if (!MessageDigest.isEqual(sr, newRoot)) {
            throw new ProofException("calculated new root does not match newRoot");
        }
    }

    /**
     * Verifies a consistency proof per RFC 9162 section 2.1.4.2; see
     * {@link #checkConsistency(long, long, byte[], byte[], List)} for the special cases.
     *
     * @param oldSize the earlier tree size
     * @param newSize the later tree size
     * @param oldRoot the root hash of the earlier tree
     * @param newRoot the root hash of the later tree
     * @param proof the consistency proof
     * @return {@code true} if the proof is valid, {@code false} otherwise
     */
    public static boolean verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
            List<byte[]> proof) {
        try {
            checkConsistency(oldSize, newSize, oldRoot, newRoot, proof);
            return true;
        } catch (ProofException e) {
            return false;
        }
    }

    private static void requireHash(byte[] hash, String name) throws ProofException {
        if (hash.length != MerkleHashes.HASH_SIZE) {
            throw new ProofException(name + " must be 32 bytes, got " + hash.length + " bytes");
        }
    }

    private static void requireHashes(List<byte[]> proof) throws ProofException {
        for (int i = 0; i < proof.size(); i++) {
            requireHash(proof.get(i), "proof[" + i + "]");
        }
    }
}
