package dev.auditlog;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written name checks accept exactly what the documented regular expressions accept. */
class NameCheckTest {
    private static final String ALPHABET = "abczAZ09_.-é ";

    @Test
    void handWrittenChecksAgreeWithTheRegexes() {
        Pattern action = Pattern.compile(AuditEvent.ACTION_REGEX);
        Pattern type = Pattern.compile(Target.TYPE_REGEX);
        Pattern attribute = Pattern.compile(Attributes.NAME_REGEX);
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(7); n > 0; n--) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String s = b.toString();
            assertThat(Validation.isDottedName(s, false)).as("action %s", s).isEqualTo(action.matcher(s).matches());
            assertThat(Validation.isDottedName(s, true)).as("type %s", s).isEqualTo(type.matcher(s).matches());
            assertThat(Validation.isAttributeName(s)).as("attribute %s", s).isEqualTo(attribute.matcher(s).matches());
        }
    }

    @Test
    void typicalNames() {
        assertThat(Validation.isDottedName("authn.login_fail", false)).isTrue();
        assertThat(Validation.isDottedName("authn..login", false)).isFalse();
        assertThat(Validation.isDottedName("authn.", false)).isFalse();
        assertThat(Validation.isDottedName("", false)).isFalse();
        assertThat(Validation.isDottedName("user-account", false)).isFalse();
        assertThat(Validation.isDottedName("user-account", true)).isTrue();
        assertThat(Validation.isDottedName("-user", true)).isFalse();
        assertThat(Validation.isAttributeName("http.status-code_2")).isTrue();
        assertThat(Validation.isAttributeName("2fa")).isFalse();
    }
}
