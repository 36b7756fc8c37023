package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The verifier's allocation-free append gives the same tree as {@link CompactMerkleTree#append}, size by size. */
class CompactMerkleTreeOwnedTest {

    @Test
    void appendOwnedMatchesAppendAtEverySize() {
        CompactMerkleTree copying = CompactMerkleTree.empty();
        CompactMerkleTree owned = CompactMerkleTree.empty();
        for (int i = 0; i < 1100; i++) {
            byte[] leaf = MerkleHashes.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8));
            copying.append(leaf);
            owned.appendOwned(leaf.clone());
            assertThat(owned.size()).isEqualTo(copying.size());
            assertThat(owned.rootHash()).as("root at size " + (i + 1)).isEqualTo(copying.rootHash());
            assertThat(owned.subtreeHashes()).as("range at size " + (i + 1)).hasSize(copying.subtreeHashes().size());
            for (int k = 0; k < owned.subtreeHashes().size(); k++) {
                assertThat(owned.subtreeHashes().get(k)).isEqualTo(copying.subtreeHashes().get(k));
            }
        }
    }
}
