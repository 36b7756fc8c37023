package dev.auditlog.integrity;

import dev.auditlog.spi.ChainHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

    private static final SigningKey KEY = SigningKey.of("example.com/log",
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    private static final String ROOT_B64 = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

    @Test
    void theOriginOfALogIsNamedAfterItAndChecksTheId() {
        assertThat(Checkpoint.origin("orders")).isEqualTo("auditlog/orders");
        assertThatThrownBy(() -> Checkpoint.origin("a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chain id");
    }

    @Test
    void parsesTheSpecExampleText() {
        Checkpoint cp = Checkpoint.parse("example.com/behind-the-sofa\n20852163\n" + ROOT_B64 + "\n");
        assertThat(cp.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(cp.size()).isEqualTo(20852163L);
        assertThat(cp.rootHash()).isEqualTo(Base64.getDecoder().decode(ROOT_B64));
        assertThat(cp.extensionLines()).isEmpty();
        assertThat(cp.chainHash()).isEmpty();
        assertThat(cp.time()).isEmpty();
        assertThat(cp.toText()).isEqualTo("example.com/behind-the-sofa\n20852163\n" + ROOT_B64 + "\n");
    }

    @Test
    void extensionLinesRoundTrip() {
        byte[] chain = ChainHash.genesis("log-1");
        Instant t = Instant.parse("2025-01-31T12:00:00.123Z");
        Checkpoint cp = Checkpoint.of("example.com/log", 5, MerkleHashes.emptyRoot(), List.of("other ext"))
                .withChainHash(chain).withTime(t);
        assertThat(cp.extensionLines()).containsExactly("other ext",
                "chain " + Base64.getEncoder().encodeToString(chain), "time 2025-01-31T12:00:00.123Z");
        assertThat(cp.toText()).isEqualTo("example.com/log\n5\n" + Base64.getEncoder().encodeToString(
                MerkleHashes.emptyRoot()) + "\nother ext\nchain " + Base64.getEncoder().encodeToString(chain)
                + "\ntime 2025-01-31T12:00:00.123Z\n");
        Checkpoint parsed = Checkpoint.parse(cp.toText());
        assertThat(parsed).isEqualTo(cp);
        assertThat(parsed.chainHash()).get().isEqualTo(chain);
        assertThat(parsed.time()).contains(t);
        // Replacing keeps one line of each kind.
        Checkpoint later = parsed.withTime(Instant.parse("2025-02-01T00:00:00Z"));
        assertThat(later.extensionLines()).hasSize(3).contains("time 2025-02-01T00:00:00Z");
        assertThat(Checkpoint.timeExtension(Instant.parse("2025-02-01T00:00:00Z")))
                .isEqualTo("time 2025-02-01T00:00:00Z");
    }

    @Test
    void signAndVerify() throws Exception {
        Checkpoint cp = Checkpoint.of("example.com/log", 42, MerkleHashes.leafHash(new byte[0]))
                .withChainHash(ChainHash.genesis("x")).withTime(Instant.parse("2025-01-31T12:00:00Z"));
        String note = cp.sign(KEY);
        assertThat(note).startsWith(cp.toText() + "\n\u2014 example.com/log ");
        assertThat(Checkpoint.verify(note, KEY.verifierKey())).isEqualTo(cp);
        assertThat(Checkpoint.verify(note, KEY.verifierKey(), "example.com/log")).isEqualTo(cp);
        assertThatThrownBy(() -> Checkpoint.verify(note, KEY.verifierKey(), "example.com/other"))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("origin");
        SigningKey other = Ed25519Keys.generate("example.com/log");
        assertThatThrownBy(() -> Checkpoint.verify(note, other.verifierKey()))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("UNKNOWN_KEY");
        assertThatThrownBy(() -> Checkpoint.verify(note.replace("\n42\n", "\n43\n"), KEY.verifierKey()))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("BAD_SIGNATURE");
        String notACheckpoint = SignedNote.sign("just text\n", KEY);
        assertThatThrownBy(() -> Checkpoint.verify(notACheckpoint, KEY.verifierKey()))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("INVALID_CHECKPOINT");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "origin\n012\n" + ROOT_B64 + "\n",           // leading zero
        "origin\n+12\n" + ROOT_B64 + "\n",           // sign
        "origin\n-1\n" + ROOT_B64 + "\n",
        "origin\n\n" + ROOT_B64 + "\n",
        "origin\n99999999999999999999\n" + ROOT_B64 + "\n",
        "origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", // missing padding
        "origin\n12\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n", // URL alphabet
        "origin\n12\nAAAA\n",                        // not 32 bytes
        "origin\n12\n" + ROOT_B64,                   // no final newline
        "origin\n12\n",                              // too few lines
        "\n12\n" + ROOT_B64 + "\n",                  // empty origin
        "origin\n12\n" + ROOT_B64 + "\n\n",          // empty extension line
        "origin\n12\n" + ROOT_B64 + "\nchain AAAA\n", // malformed chain line
        "origin\n12\n" + ROOT_B64 + "\ntime 2025-01-31T12:00:00+01:00\n", // not UTC
        "origin\n12\n" + ROOT_B64 + "\ntime 2025-01-31T12:00:00.1Z\n", // not canonical
        "origin\n12\n" + ROOT_B64 + "\ntime 2025-01-31T12:00:00.000Z\n", // not canonical
        "origin\n12\n" + ROOT_B64 + "\ntime 2025-01-31T12:00:00Z\ntime 2025-01-31T12:00:00Z\n", // repeated
        "ori\tgin\n12\n" + ROOT_B64 + "\n",          // control character
    })
    void parseIsStrict(String text) {
        assertThatThrownBy(() -> Checkpoint.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroSizeAndMessages() {
        assertThat(Checkpoint.parse("o\n0\n" + ROOT_B64 + "\n").size()).isZero();
        assertThatThrownBy(() -> Checkpoint.parse("o\n012\n" + ROOT_B64 + "\n"))
                .hasMessageContaining("size").hasMessageContaining("leading zeros").hasMessageContaining("012");
        assertThatThrownBy(() -> Checkpoint.of("o", -1, new byte[32])).hasMessageContaining("size")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[31])).hasMessageContaining("rootHash")
                .hasMessageContaining("31");
        assertThatThrownBy(() -> Checkpoint.of("o", 1, new byte[32], List.of("a\nb")))
                .hasMessageContaining("extensionLines[0]");
        assertThatThrownBy(() -> Checkpoint.of(null, 1, new byte[32])).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("origin");
    }
}
