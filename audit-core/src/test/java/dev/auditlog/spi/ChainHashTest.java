package dev.auditlog.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Chain hashes against an independent, hand-built MessageDigest computation. */
class ChainHashTest {

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    @Test
    void matchesIndependentComputation() throws Exception {
        String logId = "tenant-\u00e9/log";
        byte[] expectedGenesis = sha256(new byte[] {3}, "auditlog/v1".getBytes(StandardCharsets.US_ASCII),
                logId.getBytes(StandardCharsets.UTF_8));
        assertThat(ChainHash.genesis(logId)).isEqualTo(expectedGenesis);

        byte[] chain = expectedGenesis;
        byte[] fast = ChainHash.genesis(logId);
        byte[] leafOut = new byte[32];
        ChainHasher hasher = new ChainHasher();
        for (int i = 0; i < 50; i++) {
            byte[] body = ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            byte[] expectedLeaf = sha256(new byte[] {0}, body);
            assertThat(ChainHash.leaf(body)).isEqualTo(expectedLeaf).isEqualTo(dev.auditlog.integrity.MerkleHashes.leafHash(body));
            byte[] expectedChain = sha256(new byte[] {2}, chain, expectedLeaf);
            assertThat(ChainHash.next(chain, expectedLeaf)).isEqualTo(expectedChain);

            hasher.leaf(body, leafOut);
            assertThat(leafOut).isEqualTo(expectedLeaf);
            hasher.next(fast, leafOut, fast); // output aliases the input
            assertThat(fast).isEqualTo(expectedChain);
            chain = expectedChain;
        }
    }

    @Test
    void knownGenesisValue() throws Exception {
        // SHA-256(0x03 || "auditlog/v1") for the empty log id, computed independently.
        assertThat(HexFormat.of().formatHex(ChainHash.genesis("")))
                .isEqualTo(HexFormat.of().formatHex(sha256(HexFormat.of().parseHex("0361756469746c6f672f7631"))));
    }

    @Test
    void hasherSupportsSlices() throws Exception {
        byte[] buf = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[32];
        new ChainHasher().leaf(buf, 2, 5, out);
        assertThat(out).isEqualTo(sha256(new byte[] {0}, "hello".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> new ChainHasher().leaf(buf, 5, 10, out))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void validatesArguments() {
        assertThatThrownBy(() -> ChainHash.next(new byte[31], new byte[32]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previousChain")
                .hasMessageContaining("31");
        assertThatThrownBy(() -> ChainHash.next(new byte[32], null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("leafHash");
        assertThatThrownBy(() -> ChainHash.genesis(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("logId");
        assertThatThrownBy(() -> new ChainHasher().next(new byte[32], new byte[32], new byte[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out");
    }
}
