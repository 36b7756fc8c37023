package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Property tests: generated proofs verify against the tree root; any flipped bit makes them fail. */
class MerkleProofPropertyTest {

    private static final int MAX_SIZE = 300;
    private static final long SEED = 0x5eed_a0d17L;

    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MerkleHashes.leafHash(ByteBuffer.allocate(8).putLong(i * 7919L).array()));
        }
        return out;
    }

    /** Edge sizes plus random sizes in 1..300 (fixed seed, so failures are reproducible). */
    static List<Integer> treeSizes() {
        TreeSet<Integer> sizes = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64,
                65, 127, 128, 129, 255, 256, 257, 299, 300));
        Random random = new Random(SEED);
        while (sizes.size() < 60) {
            sizes.add(1 + random.nextInt(MAX_SIZE));
        }
        return new ArrayList<>(sizes);
    }

    private static byte[] flip(byte[] value, Random random) {
        byte[] copy = value.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private static List<byte[]> flipOne(List<byte[]> proof, Random random) {
        List<byte[]> copy = new ArrayList<>(proof);
        int i = random.nextInt(copy.size());
        copy.set(i, flip(copy.get(i), random));
        return copy;
    }

    @ParameterizedTest(name = "tree size {0}")
    @MethodSource("treeSizes")
    void everyInclusionProofVerifiesAndTamperingFails(int n) {
        List<byte[]> leafList = leaves(n);
        LeafHashes leaves = LeafHashes.of(leafList);
        CompactMerkleTree tree = CompactMerkleTree.empty();
        leafList.forEach(tree::append);
        byte[] root = tree.rootHash();
        assertThat(MerkleProofs.rootHash(leaves, n)).isEqualTo(root);
        Random random = new Random(SEED + n);
        for (int i = 0; i < n; i++) {
            List<byte[]> proof = MerkleProofs.inclusionProof(leaves, i, n);
            byte[] leaf = leafList.get(i);
            assertThat(MerkleProofs.verifyInclusion(i, n, leaf, proof, root)).as("leaf %d of %d", i, n).isTrue();
            assertThat(MerkleProofs.verifyInclusion(i, n, flip(leaf, random), proof, root)).isFalse();
            assertThat(MerkleProofs.verifyInclusion(i, n, leaf, proof, flip(root, random))).isFalse();
            if (!proof.isEmpty()) {
                assertThat(MerkleProofs.verifyInclusion(i, n, leaf, flipOne(proof, random), root)).isFalse();
                assertThat(MerkleProofs.verifyInclusion(i, n, leaf, proof.subList(0, proof.size() - 1), root))
                        .isFalse();
            }
            List<byte[]> longer = new ArrayList<>(proof);
            longer.add(root);
            assertThat(MerkleProofs.verifyInclusion(i, n, leaf, longer, root)).isFalse();
            if (n > 1) {
                assertThat(MerkleProofs.verifyInclusion((i + 1) % n, n, leaf, proof, root)).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "tree size {0}")
    @MethodSource("treeSizes")
    void everyConsistencyProofVerifiesAndTamperingFails(int n) {
        List<byte[]> leafList = leaves(n);
        LeafHashes leaves = LeafHashes.of(leafList);
        CompactMerkleTree tree = CompactMerkleTree.empty();
        List<byte[]> roots = new ArrayList<>();
        roots.add(tree.rootHash());
        for (byte[] leaf : leafList) {
            tree.append(leaf);
            roots.add(tree.rootHash());
        }
        byte[] newRoot = roots.get(n);
        Random random = new Random(SEED ^ n);
        for (int m = 1; m <= n; m++) {
            List<byte[]> proof = MerkleProofs.consistencyProof(leaves, m, n);
            byte[] oldRoot = roots.get(m);
            assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, proof)).as("%d -> %d", m, n).isTrue();
            if (m == n) {
                assertThat(proof).isEmpty();
                assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, flip(newRoot, random), proof)).isFalse();
                continue;
            }
            assertThat(MerkleProofs.verifyConsistency(m, n, flip(oldRoot, random), newRoot, proof)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, flip(newRoot, random), proof)).isFalse();
            assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, flipOne(proof, random))).isFalse();
            assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, proof.subList(1, proof.size())))
                    .isFalse();
            assertThat(MerkleProofs.verifyConsistency(m, n, newRoot, oldRoot, proof)).isFalse();
        }
    }

    @Test
    void flippingEveryBitOfAProofFails() {
        int n = 77;
        List<byte[]> leafList = leaves(n);
        LeafHashes leaves = LeafHashes.of(leafList);
        byte[] root = MerkleProofs.rootHash(leaves, n);
        List<byte[]> incl = MerkleProofs.inclusionProof(leaves, 42, n);
        List<byte[]> cons = MerkleProofs.consistencyProof(leaves, 21, n);
        byte[] oldRoot = MerkleProofs.rootHash(leaves, 21);
        for (int e = 0; e < incl.size(); e++) {
            for (int bit = 0; bit < 256; bit++) {
                List<byte[]> copy = new ArrayList<>(incl);
                byte[] h = copy.get(e).clone();
                h[bit / 8] ^= (byte) (1 << (bit % 8));
                copy.set(e, h);
                assertThat(MerkleProofs.verifyInclusion(42, n, leafList.get(42), copy, root)).isFalse();
            }
        }
        for (int e = 0; e < cons.size(); e++) {
            for (int bit = 0; bit < 256; bit++) {
                List<byte[]> copy = new ArrayList<>(cons);
                byte[] h = copy.get(e).clone();
                h[bit / 8] ^= (byte) (1 << (bit % 8));
                copy.set(e, h);
                assertThat(MerkleProofs.verifyConsistency(21, n, oldRoot, root, copy)).isFalse();
            }
        }
    }

    @Test
    void generationRejectsBadArguments() {
        LeafHashes leaves = LeafHashes.of(leaves(5));
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(leaves, 5, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leafIndex").hasMessageContaining("5");
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(leaves, 0, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("treeSize");
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(leaves, 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oldSize");
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(leaves, 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oldSize");
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(null, 0, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("leaves");
        assertThatThrownBy(() -> MerkleProofs.verifyInclusion(0, 1, null, List.of(), new byte[32]))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("leafHash");
    }

    @Test
    void verificationRejectsNegativeSizesAndReportsReasons() {
        byte[] h = new byte[32];
        assertThat(MerkleProofs.verifyInclusion(-1, 1, h, List.of(), h)).isFalse();
        assertThat(MerkleProofs.verifyConsistency(-1, 1, h, h, List.of(h))).isFalse();
        assertThatThrownBy(() -> MerkleProofs.checkConsistency(0, 0, h, h, List.of()))
                .isInstanceOf(ProofException.class).hasMessageContaining("empty tree");
        assertThatThrownBy(() -> MerkleProofs.checkInclusion(3, 3, h, List.of(), h))
                .isInstanceOf(ProofException.class).hasMessageContaining("leafIndex 3");
    }

    @Test
    void compactTreeRestoresAtEverySize() {
        List<byte[]> leafList = leaves(70);
        CompactMerkleTree tree = CompactMerkleTree.empty();
        for (int i = 0; i < leafList.size(); i++) {
            CompactMerkleTree resumed = CompactMerkleTree.restore(tree.size(), tree.subtreeHashes());
            assertThat(tree.subtreeHashes()).hasSize(Integer.bitCount(i));
            CompactMerkleTree snapshot = tree.copy();
            tree.append(leafList.get(i));
            resumed.append(leafList.get(i));
            assertThat(resumed.size()).isEqualTo(tree.size()).isEqualTo(i + 1);
            assertThat(resumed.rootHash()).isEqualTo(tree.rootHash());
            assertThat(snapshot.size()).isEqualTo(i);
            assertThat(tree.rootHash()).isEqualTo(MerkleProofs.rootHash(LeafHashes.of(leafList), i + 1));
        }
    }

    @Test
    void compactTreeRestoreValidates() {
        assertThatThrownBy(() -> CompactMerkleTree.restore(3, List.of(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subtreeHashes")
                .hasMessageContaining("2");
        assertThatThrownBy(() -> CompactMerkleTree.restore(1, List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subtreeHashes[0]")
                .hasMessageContaining("31");
        assertThatThrownBy(() -> CompactMerkleTree.restore(-1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> CompactMerkleTree.empty().append(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leafHash");
        assertThatThrownBy(() -> CompactMerkleTree.empty().append(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("leafHash");
    }
}
