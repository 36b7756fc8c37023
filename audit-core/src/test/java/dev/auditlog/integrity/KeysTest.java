package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {

    private static final byte[] SEED =
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    @Test
    void keyIdIsTruncatedSha256OfNameNewlineAlgAndKey() throws Exception {
        SigningKey key = SigningKey.of("example.com/log", SEED);
        byte[] pub = key.verifierKey().publicKey();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update("example.com/log".getBytes(StandardCharsets.UTF_8));
        md.update(new byte[] {0x0A, 0x01});
        md.update(pub);
        byte[] h = md.digest();
        assertThat(key.verifierKey().keyIdHex()).isEqualTo(HexFormat.of().formatHex(h, 0, 4));
        assertThat(key.keyId()).isEqualTo(key.verifierKey().keyId());
    }

    @Test
    void encodingsRoundTripInGoFormat() {
        SigningKey key = SigningKey.of("example.com/log", SEED);
        String skey = key.encode();
        String vkey = key.verifierKey().encode();
        String id = key.verifierKey().keyIdHex();
        assertThat(skey).matches("PRIVATE\\+KEY\\+example\\.com/log\\+" + id + "\\+[A-Za-z0-9+/]{44}");
        assertThat(vkey).matches("example\\.com/log\\+" + id + "\\+[A-Za-z0-9+/]{44}");
        assertThat(java.util.Base64.getDecoder().decode(skey.substring(skey.lastIndexOf('+') + 1))[0]).isEqualTo((byte) 1);
        assertThat(SigningKey.parse(skey)).isEqualTo(key);
        assertThat(VerifierKey.parse(vkey)).isEqualTo(key.verifierKey());
        assertThat(key.toString()).doesNotContain(skey.substring(skey.lastIndexOf('+') + 1));
    }

    @Test
    void parseRejectsTamperedEncodings() {
        SigningKey key = SigningKey.of("example.com/log", SEED);
        String vkey = key.verifierKey().encode();
        String wrongId = vkey.replace(key.verifierKey().keyIdHex(), "00000000");
        assertThatThrownBy(() -> VerifierKey.parse(wrongId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key id").hasMessageContaining("00000000");
        assertThatThrownBy(() -> VerifierKey.parse("other.name" + vkey.substring(vkey.indexOf('+'))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key id");
        assertThatThrownBy(() -> VerifierKey.parse("a+b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VerifierKey.parse(vkey.substring(0, vkey.length() - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> SigningKey.parse(key.encode().replace("PRIVATE", "PUBLIC")))
                .isInstanceOf(IllegalArgumentException.class);
        String wrongPrivId = key.encode().replace(key.verifierKey().keyIdHex(), "ffffffff");
        assertThatThrownBy(() -> SigningKey.parse(wrongPrivId)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ffffffff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a+b", "a b", "a\tb", "a\u00a0b", "a\u2003b", "a\u3000b", "a\nb", "a\u0085b"})
    void invalidKeyNamesAreRejected(String name) {
        assertThatThrownBy(() -> SigningKey.of(name, SEED)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> Ed25519Keys.generate(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesKeyMaterial() {
        assertThatThrownBy(() -> SigningKey.of("n", new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("seed").hasMessageContaining("31");
        assertThatThrownBy(() -> VerifierKey.of("n", new byte[33])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publicKey");
        assertThatThrownBy(() -> SigningKey.of(null, SEED)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("name");
    }

    @Test
    void manyGeneratedKeysRoundTrip() {
        // Base64 key data often contains '+', which is also the field separator.
        for (int i = 0; i < 64; i++) {
            SigningKey key = Ed25519Keys.generate("k" + i + ".example/log");
            assertThat(SigningKey.parse(key.encode())).isEqualTo(key);
            assertThat(VerifierKey.parse(key.verifierKey().encode())).isEqualTo(key.verifierKey());
        }
    }

    @Test
    void generatedKeysSignAndVerify() {
        SigningKey a = Ed25519Keys.generate("a.example/log");
        SigningKey b = Ed25519Keys.generate("a.example/log");
        assertThat(a).isNotEqualTo(b);
        byte[] msg = "m".getBytes(StandardCharsets.UTF_8);
        assertThat(a.verifierKey().verify(msg, a.sign(msg))).isTrue();
        assertThat(b.verifierKey().verify(msg, a.sign(msg))).isFalse();
    }

    @Test
    void writesPrivateKeyWith0600AndPublicKeyWith0644(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX file permissions not supported here");
        SigningKey key = Ed25519Keys.generate("perm.example/log");
        Path priv = dir.resolve("log.key");
        Path pub = dir.resolve("log.pub");
        Ed25519Keys.writeSigningKey(priv, key);
        Ed25519Keys.writeVerifierKey(pub, key.verifierKey());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        String pubPerms = PosixFilePermissions.toString(Files.getPosixFilePermissions(pub));
        assertThat(pubPerms).startsWith("rw-"); // 0644 minus the process umask
        assertThat(pubPerms.substring(3)).doesNotContain("w").doesNotContain("x");
        assertThat(Files.readString(priv)).isEqualTo(key.encode() + "\n");
        assertThat(Files.readString(pub)).isEqualTo(key.verifierKey().encode() + "\n");
        assertThat(Ed25519Keys.readSigningKey(priv)).isEqualTo(key);
        assertThat(Ed25519Keys.readVerifierKey(pub)).isEqualTo(key.verifierKey());
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(2); // no temporary files left behind
        }

        assertThatThrownBy(() -> Ed25519Keys.writeSigningKey(priv, Ed25519Keys.generate("x")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Ed25519Keys.readSigningKey(priv)).isEqualTo(key);
    }
}
