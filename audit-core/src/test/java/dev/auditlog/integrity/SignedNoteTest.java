package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignedNoteTest {

    private static final SigningKey KEY = SigningKey.of("example.com/log",
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    private static final SigningKey OTHER = Ed25519Keys.generate("witness.example/w1");

    private static NoteVerificationException.Reason reasonOf(String note, VerifierKey key) {
        try {
            SignedNote.open(note, key);
        } catch (NoteVerificationException e) {
            return e.reason();
        }
        throw new AssertionError("note unexpectedly verified");
    }

    @Test
    void signsInGoNoteFormatAndOpens() throws Exception {
        String text = "hello\n\nworld\n";
        String note = SignedNote.sign(text, KEY);
        assertThat(note).startsWith(text + "\n\u2014 example.com/log ").endsWith("\n");
        String b64 = note.substring(note.lastIndexOf(' ') + 1, note.length() - 1);
        byte[] blob = Base64.getDecoder().decode(b64);
        assertThat(blob).hasSize(68);
        assertThat(HexFormat.of().formatHex(blob, 0, 4)).isEqualTo(KEY.verifierKey().keyIdHex());
        assertThat(SignedNote.open(note, KEY.verifierKey())).isEqualTo(text);
    }

    @Test
    void otherSignaturesAreIgnoredButPinnedKeyIsRequired() throws Exception {
        String note = SignedNote.sign("body\n", OTHER, KEY);
        assertThat(SignedNote.open(note, KEY.verifierKey())).isEqualTo("body\n");
        assertThat(SignedNote.open(note, OTHER.verifierKey())).isEqualTo("body\n");

        String onlyOther = SignedNote.sign("body\n", OTHER);
        assertThat(reasonOf(onlyOther, KEY.verifierKey())).isEqualTo(NoteVerificationException.Reason.UNKNOWN_KEY);

        // Same name, different key (so different id): ignored, hence unknown key.
        SigningKey impostor = Ed25519Keys.generate("example.com/log");
        assertThat(reasonOf(SignedNote.sign("body\n", impostor), KEY.verifierKey()))
                .isEqualTo(NoteVerificationException.Reason.UNKNOWN_KEY);
    }

    @Test
    void badSignatureByPinnedKeyRejectsWholeNote() {
        String note = SignedNote.sign("body\n", KEY, OTHER);
        String forged = note.replace("body\n", "bodY\n");
        assertThat(reasonOf(forged, KEY.verifierKey())).isEqualTo(NoteVerificationException.Reason.BAD_SIGNATURE);
    }

    @Test
    void malformedNotes() {
        VerifierKey vk = KEY.verifierKey();
        String good = SignedNote.sign("body\n", KEY);
        assertThat(reasonOf("body\n", vk)).isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf(good.substring(0, good.length() - 1), vk))
                .isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf(good.replace("\u2014", "-"), vk)).isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf("bo\tdy\n" + good.substring(5), vk)).isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf("body\n\n\u2014 example.com/log AAAA\n", vk))
                .isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf("body\n\n\u2014 example.com/log not-base64!\n", vk))
                .isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf("body\n\n\u2014 bad+name AAAAAAA=\n", vk))
                .isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf("body\n\n", vk)).isEqualTo(NoteVerificationException.Reason.MALFORMED);
        assertThat(reasonOf("body\uD800\n" + good.substring(4), vk)).isEqualTo(NoteVerificationException.Reason.MALFORMED);
        StringBuilder many = new StringBuilder("body\n\n");
        for (int i = 0; i < 101; i++) {
            many.append("\u2014 k").append(i).append(" AAAAAAA=\n");
        }
        assertThat(reasonOf(many.toString(), vk)).isEqualTo(NoteVerificationException.Reason.MALFORMED);
    }

    @Test
    void signRejectsInvalidText() {
        assertThatThrownBy(() -> SignedNote.sign("no newline", KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text")
                .hasMessageContaining("newline");
        assertThatThrownBy(() -> SignedNote.sign("", KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedNote.sign("a\rb\n", KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000D");
        assertThatThrownBy(() -> SignedNote.sign("a\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys");
        assertThatThrownBy(() -> SignedNote.sign("a\n", KEY, KEY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repeat");
        assertThatThrownBy(() -> SignedNote.sign(null, KEY)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text");
    }

    @Test
    void unicodeTextRoundTrips() throws Exception {
        String text = "Ognuno sta solo sul cuor della terra\n\ned \u00e8 subito sera. \uD83C\uDF05\n";
        assertThat(SignedNote.open(SignedNote.sign(text, KEY), KEY.verifierKey())).isEqualTo(text);
    }
}
