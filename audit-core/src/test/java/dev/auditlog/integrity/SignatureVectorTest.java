package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8032 TEST 1 and the C2SP signed-note example, read from the test resource vectors/signatures/README.md. */
class SignatureVectorTest {

    private static final HexFormat HEX = HexFormat.of();

    private static String readme() throws IOException {
        return Files.readString(SharedVectors.vectors().resolve("signatures/README.md"), StandardCharsets.UTF_8);
    }

    private static String field(String readme, String label) {
        int i = readme.indexOf("- " + label + ": ");
        assertThat(i).as("README field %s", label).isNotNegative();
        int start = i + label.length() + 4;
        return readme.substring(start, readme.indexOf('\n', start)).trim();
    }

    @Test
    void rfc8032Test1() throws IOException {
        String readme = readme();
        byte[] secret = HEX.parseHex(field(readme, "secret key"));
        byte[] pub = HEX.parseHex(field(readme, "public key"));
        byte[] sig = HEX.parseHex(field(readme, "signature"));
        assertThat(field(readme, "message")).isEqualTo("(empty)");

        SigningKey key = SigningKey.of("rfc8032-test1", secret);
        assertThat(key.verifierKey().publicKey()).isEqualTo(pub);
        assertThat(key.sign(new byte[0])).isEqualTo(sig); // Ed25519 is deterministic
        VerifierKey vk = VerifierKey.of("rfc8032-test1", pub);
        assertThat(vk.verify(new byte[0], sig)).isTrue();
        byte[] bad = sig.clone();
        bad[10] ^= 1;
        assertThat(vk.verify(new byte[0], bad)).isFalse();
        assertThat(vk.verify(new byte[] {0}, sig)).isFalse();
    }

    @Test
    void c2spExampleNote() throws IOException, NoteVerificationException {
        String readme = readme();
        String vkey = null;
        String sigLine = null;
        for (String line : readme.split("\n")) {
            String t = line.strip();
            if (t.startsWith("example.com/foo+")) {
                vkey = t;
            } else if (t.startsWith("\u2014 example.com/foo ")) {
                sigLine = t;
            }
        }
        assertThat(vkey).isEqualTo("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        assertThat(sigLine).isNotNull();
        String note = "This is an example message.\n\n" + sigLine + "\n";

        VerifierKey key = VerifierKey.parse(vkey);
        assertThat(key.name()).isEqualTo("example.com/foo");
        assertThat(key.keyIdHex()).isEqualTo("530d903a");
        assertThat(key.keyId()).isEqualTo(0x530d903a);
        assertThat(key.encode()).isEqualTo(vkey);
        assertThat(SignedNote.open(note, key)).isEqualTo("This is an example message.\n");

        // Tampering with the text must break it.
        assertThatThrownBy(() -> SignedNote.open(note.replace("example message", "exemple message"), key))
                .isInstanceOf(NoteVerificationException.class)
                .extracting(e -> ((NoteVerificationException) e).reason())
                .isEqualTo(NoteVerificationException.Reason.BAD_SIGNATURE);
    }
}
