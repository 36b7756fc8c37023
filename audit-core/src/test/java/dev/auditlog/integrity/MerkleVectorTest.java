package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Runs the transparency-dev/merkle RFC 6962 vectors (test resources {@code vectors/rfc6962-merkle}). */
class MerkleVectorTest {

    static final int EXPECTED_PROBES = 196;

    static final String[] LEAVES_HEX = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};

    static final String[] ROOTS_HEX = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    private static final HexFormat HEX = HexFormat.of();

    static List<byte[]> standardLeafHashes() {
        List<byte[]> leaves = new ArrayList<>();
        for (String hex : LEAVES_HEX) {
            leaves.add(MerkleHashes.leafHash(HEX.parseHex(hex)));
        }
        return leaves;
    }

    /** The root table in the vectors' SOURCE.md must be the one we check against (9 roots). */
    @Test
    void rootTableInSourceMdMatches() throws IOException {
        Path source = SharedVectors.vectors().resolve("rfc6962-merkle/SOURCE.md");
        String md = Files.readString(source, StandardCharsets.UTF_8);
        for (int size = 0; size <= 8; size++) {
            assertThat(md).contains("| " + size + " | " + ROOTS_HEX[size] + " |");
        }
    }

    @Test
    void reproducesAllNineRoots() {
        List<byte[]> leaves = standardLeafHashes();
        LeafHashes access = LeafHashes.of(leaves);
        CompactMerkleTree tree = CompactMerkleTree.empty();
        int checked = 0;
        for (int size = 0; size <= 8; size++) {
            if (size > 0) {
                tree.append(leaves.get(size - 1));
            }
            assertThat(HEX.formatHex(tree.rootHash())).as("compact root at size %d", size).isEqualTo(ROOTS_HEX[size]);
            assertThat(HEX.formatHex(MerkleProofs.rootHash(access, size))).as("MTH at size %d", size)
                    .isEqualTo(ROOTS_HEX[size]);
            checked++;
        }
        assertThat(checked).isEqualTo(9);
    }

    @Test
    void hasherUnitValues() {
        assertThat(HEX.formatHex(MerkleHashes.leafHash("L123456".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
        assertThat(HEX.formatHex(MerkleHashes.nodeHash("N123".getBytes(StandardCharsets.US_ASCII),
                "N456".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
        assertThat(HEX.formatHex(MerkleHashes.emptyRoot())).isEqualTo(ROOTS_HEX[0]);
    }

    @TestFactory
    List<DynamicTest> allProofProbes() throws IOException {
        Path dir = SharedVectors.vectors().resolve("rfc6962-merkle");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        List<DynamicTest> tests = new ArrayList<>();
        int accepts = 0;
        for (Path file : files) {
            Probe probe = Probe.read(file);
            String rel = dir.relativize(file).toString();
            boolean inclusion = rel.startsWith("inclusion");
            assertThat(inclusion || rel.startsWith("consistency")).as(rel).isTrue();
            if (!probe.wantErr) {
                accepts++;
            }
            tests.add(DynamicTest.dynamicTest(rel + " (" + probe.desc + ", wantErr=" + probe.wantErr + ")", () -> {
                String reason = null;
                try {
                    if (inclusion) {
                        MerkleProofs.checkInclusion(probe.leafIdx, probe.treeSize, probe.leafHash, probe.proof,
                                probe.root);
                    } else {
                        MerkleProofs.checkConsistency(probe.size1, probe.size2, probe.root1, probe.root2,
                                probe.proof);
                    }
                } catch (ProofException e) {
                    reason = e.getMessage();
                }
                boolean accepted = reason == null;
                assertThat(accepted).as("%s: wantErr=%s but got %s", rel, probe.wantErr,
                        accepted ? "accepted" : "rejected (" + reason + ")").isEqualTo(!probe.wantErr);
                boolean bool = inclusion
                        ? MerkleProofs.verifyInclusion(probe.leafIdx, probe.treeSize, probe.leafHash, probe.proof,
                                probe.root)
                        : MerkleProofs.verifyConsistency(probe.size1, probe.size2, probe.root1, probe.root2,
                                probe.proof);
                assertThat(bool).isEqualTo(accepted);
            }));
        }
        // Guard against a silently empty or truncated vector directory.
        assertThat(tests).hasSize(EXPECTED_PROBES);
        assertThat(accepts).as("probes with wantErr=false").isPositive();
        return tests;
    }

    /** Generated proofs over the standard leaves must equal the happy-path proofs in the vectors. */
    @Test
    void generatedProofsMatchHappyPathVectors() throws IOException {
        Path dir = SharedVectors.vectors().resolve("rfc6962-merkle");
        LeafHashes leaves = LeafHashes.of(standardLeafHashes());
        int compared = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(p -> p.getFileName().toString().equals("happy-path.json"))
                    .collect(Collectors.toList())) {
                Probe p = Probe.read(file);
                List<byte[]> generated = file.toString().contains("inclusion")
                        ? MerkleProofs.inclusionProof(leaves, p.leafIdx, p.treeSize)
                        : MerkleProofs.consistencyProof(leaves, p.size1, p.size2);
                assertThat(generated).as(file.toString()).hasSameSizeAs(p.proof);
                for (int i = 0; i < generated.size(); i++) {
                    assertThat(generated.get(i)).as("%s proof[%d]", file, i).isEqualTo(p.proof.get(i));
                }
                compared++;
            }
        }
        assertThat(compared).isPositive();
    }

    /** One JSON probe. */
    static final class Probe {
        long leafIdx;
        long treeSize;
        long size1;
        long size2;
        byte[] root = new byte[0];
        byte[] root1 = new byte[0];
        byte[] root2 = new byte[0];
        byte[] leafHash = new byte[0];
        List<byte[]> proof = new ArrayList<>();
        String desc = "";
        boolean wantErr;

        static Probe read(Path file) {
            Probe p = new Probe();
            boolean sawWantErr = false;
            try (JsonParser json = new JsonFactory().createParser(file.toFile())) {
                if (json.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalStateException(file + ": expected a JSON object");
                }
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    JsonToken value = json.nextToken();
                    switch (field) {
                        case "leafIdx": p.leafIdx = uint64(json); break;
                        case "treeSize": p.treeSize = uint64(json); break;
                        case "size1": p.size1 = uint64(json); break;
                        case "size2": p.size2 = uint64(json); break;
                        case "root": p.root = b64(json.getText()); break;
                        case "root1": p.root1 = b64(json.getText()); break;
                        case "root2": p.root2 = b64(json.getText()); break;
                        case "leafHash": p.leafHash = b64(json.getText()); break;
                        case "desc": p.desc = json.getText(); break;
                        case "wantErr": p.wantErr = json.getBooleanValue(); sawWantErr = true; break;
                        case "proof":
                            if (value == JsonToken.START_ARRAY) {
                                while (json.nextToken() != JsonToken.END_ARRAY) {
                                    p.proof.add(b64(json.getText()));
                                }
                            } else if (value != JsonToken.VALUE_NULL) {
                                throw new IllegalStateException(file + ": proof must be an array");
                            }
                            break;
                        default:
                            throw new IllegalStateException(file + ": unexpected field " + field);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
            if (!sawWantErr) {
                throw new IllegalStateException(file + ": missing wantErr");
            }
            return p;
        }

        /**
         * The vectors use Go uint64; values >= 2^63 map to negative longs (two's complement), which the Java API
         * treats as invalid sizes/indexes and rejects.
         */
        private static long uint64(JsonParser json) throws IOException {
            return json.getBigIntegerValue().longValue();
        }

        private static byte[] b64(String s) {
            return s == null ? new byte[0] : Base64.getDecoder().decode(s);
        }
    }
}
