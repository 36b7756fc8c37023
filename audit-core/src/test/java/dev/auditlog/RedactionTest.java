package dev.auditlog;

import dev.auditlog.spi.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactionTest {
    private static final String SECRET = "hunter2-TOPSECRET";
    private static final String EMAIL = "alice.smith@example.com";
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static AuditEvent.Builder event() {
        return AuditEvent.builder().action("user.update").actor(Actor.user("alice")).outcome(Outcome.success());
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "user_password", "X-Api-Key", "Authorization", "PRIVATE.KEY",
            "card-number", "refresh_token", "passwd", "client.secret", "cookie", "jwt", "otp", "pin", "auth",
            "signature", "pass", "pw", "mfa_code", "newPassword", "password_confirmation", "x-session"})
    void secretLookingNamesAreRedactedByDefaultAndTheEventKept(String name) {
        AuditEvent e = event().attribute(name, SECRET).attribute("other", "kept").build();
        AuditEvent out = new Redactor(Redaction.defaults()).apply(e);
        assertThat(out.attributes()).containsEntry(name, Redaction.REDACTED).containsEntry("other", "kept")
                .containsEntry("redacted", List.of(name));
        assertThat(out.eventId()).isEqualTo(e.eventId());
        assertThat(SecretKeys.defaults().match(name)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sessionId", "token_type", "passwordHint", "author", "authorId", "accessKeyId",
            "passenger", "spinner", "pinned", "tokenExpiry", "signatureAlgorithm", "document", "keyboard"})
    void namesThatDescribeRatherThanHoldASecretPass(String name) {
        AuditEvent e = event().attribute(name, "value").build();
        assertThat(new Redactor(Redaction.defaults()).apply(e)).isSameAs(e);
    }

    @Test
    void rejectIsAnExplicitChoiceNamingTheAttributeAndRuleNotTheValue() {
        AuditEvent e = event().attribute("api_key", SECRET).build();
        assertThatThrownBy(() -> new Redactor(Redaction.builder().secretKeys(SecretKeyAction.REJECT).build()).apply(e))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute api_key")
                .hasMessageContaining("redaction.secretKeys=REJECT")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void secretsInTheMessageReasonAndIdsAreRedacted() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        AuditEvent e = event().message("login with Bearer abcdEFGH1234.xyz and card 4111 1111 1111 1111, ref"
                        + " 4111111111111112, url?password=hunter2&x=1")
                .outcome(Outcome.of(OutcomeStatus.FAILURE, "bad", "token " + jwt + " expired"))
                .requestId(jwt).target("doc", "4012888888881881").build();
        AuditEvent out = new Redactor(Redaction.defaults()).apply(e);
        assertThat(out.message().orElseThrow()).isEqualTo("login with Bearer [REDACTED] and card [REDACTED], ref"
                + " 4111111111111112, url?password=[REDACTED]&x=1"); // the second number fails the Luhn check
        assertThat(out.outcome().reason().orElseThrow()).isEqualTo("token [REDACTED] expired");
        assertThat(out.requestId()).hasValue("[REDACTED]");
        assertThat(out.targets().get(0).id()).isEqualTo("[REDACTED]");
        assertThat(out.attributes()).containsEntry("redacted",
                List.of("message", "outcome.reason", "requestId", "targets[0].id"));
        String json = new String(EventCodec.write(out), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("abcdEFGH1234").doesNotContain(jwt).doesNotContain("hunter2")
                .doesNotContain("4111 1111");
        AuditEvent plain = event().message("user alice: 3 attempts, id=42").build();
        assertThat(new Redactor(Redaction.defaults()).apply(plain)).isSameAs(plain);
    }

    @Test
    void aUserAttributeNamedRedactedIsNeverOverwritten() {
        AuditEvent e = event().attribute("redacted", "mine").attribute("redacted_1", true)
                .attribute("password", SECRET).build();
        AuditEvent out = new Redactor(Redaction.defaults()).apply(e);
        assertThat(out.attributes()).containsEntry("redacted", "mine").containsEntry("redacted_1", true)
                .containsEntry("redacted_2", List.of("password"));
    }

    @Test
    void redactionsAreCountedInTheMetrics() {
        try (AuditLog log = AuditLog.builder().singleChain().logId("m").sink(new MemorySink()).shutdownHook(false).build()) {
            log.record(event().attribute("password", SECRET).attribute("pin", "1234").build());
            log.record(event().message("Bearer abcdefgh12345678").build());
            assertThat(log.metrics().redacted()).isEqualTo(3);
        }
    }

    @Test
    void ordinaryNamesPass() {
        AuditEvent e = event().attribute("attempt", 3).attribute("document", "doc-1").build();
        assertThat(new Redactor(Redaction.defaults()).apply(e)).isSameAs(e);
    }

    @Test
    void redactReplacesAndListsThePaths() {
        AuditEvent e = event().attribute("password", SECRET)
                .attribute("nested", Map.of("apiKey", SECRET, "ok", "fine")).build();
        AuditEvent out = new Redactor(Redaction.builder().secretKeys(SecretKeyAction.REDACT).build()).apply(e);
        assertThat(out.attributes()).containsEntry("password", "[REDACTED]")
                .containsEntry("nested", Map.of("apiKey", "[REDACTED]", "ok", "fine"))
                .containsEntry("redacted", List.of("nested.apiKey", "password"));
        assertThat(out.eventId()).isEqualTo(e.eventId());
        assertThat(new String(EventCodec.write(out), StandardCharsets.UTF_8)).doesNotContain(SECRET);
    }

    @Test
    void hashIsKeyedAndCorrelatable() {
        Redaction hex = Redaction.builder().secretKeys(SecretKeyAction.HASH).hmacKey(KEY).build();
        AuditEvent e = event().attribute("token", SECRET).build();
        String h1 = (String) new Redactor(hex).apply(e).attributes().get("token");
        String h2 = (String) new Redactor(hex).apply(e).attributes().get("token");
        assertThat(h1).isEqualTo(h2).startsWith("hmac-sha256:").hasSize("hmac-sha256:".length() + 64);
        String b64 = (String) new Redactor(Redaction.builder().secretKeys(SecretKeyAction.HASH).hmacKey(KEY)
                .hashEncoding(HashEncoding.BASE64).build()).apply(e).attributes().get("token");
        assertThat(b64).startsWith("hmac-sha256-b64:").hasSize("hmac-sha256-b64:".length() + 44);
        // a random key per run: not equal to the keyed one
        String random = (String) new Redactor(Redaction.builder().secretKeys(SecretKeyAction.HASH).build())
                .apply(e).attributes().get("token");
        assertThat(random).isNotEqualTo(h1).doesNotContain(SECRET);
    }

    @Test
    void piiIsMaskedHashedOrDropped() {
        AuditEvent e = event().attribute("email", Sensitive.pii(EMAIL))
                .attribute("phones", List.of(Sensitive.pii("+44 20 7946 0000"), "public")).build();
        AuditEvent masked = new Redactor(Redaction.defaults()).apply(e);
        assertThat(masked.attributes()).containsEntry("email", "a***om")
                .containsEntry("phones", List.of("+***00", "public"))
                .containsEntry("redacted", List.of("email", "phones[0]"));
        AuditEvent custom = new Redactor(Redaction.builder().mask(3, 4).build()).apply(e);
        assertThat(custom.attributes()).containsEntry("email", "ali***.com");
        AuditEvent hashed = new Redactor(Redaction.builder().pii(PiiAction.HASH).hmacKey(KEY).build()).apply(e);
        assertThat((String) hashed.attributes().get("email")).startsWith("hmac-sha256:");
        AuditEvent dropped = new Redactor(Redaction.builder().pii(PiiAction.DROP).build()).apply(e);
        assertThat(dropped.attributes()).doesNotContainKey("email").containsEntry("phones", List.of("public"))
                .containsEntry("redacted", List.of("email", "phones[0]"));
        assertThat(new Redactor(Redaction.defaults()).mask("short")).isEqualTo("***");
    }

    @Test
    void sensitiveNeverShowsItsValue() {
        Sensitive s = Sensitive.pii(EMAIL);
        assertThat(s.toString()).doesNotContain(EMAIL);
        AuditEvent e = event().attribute("email", s).attribute("password", SECRET).build();
        assertThat(e.toString()).doesNotContain(EMAIL).doesNotContain(SECRET).contains("password=***");
        assertThatThrownBy(() -> EventCodec.write(e)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unredacted Sensitive").hasMessageNotContaining(EMAIL);
        assertThatThrownBy(() -> Sensitive.pii("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sensitive.pii(null)).isInstanceOf(NullPointerException.class).hasMessage("value");
    }

    @Test
    void tooLongSecretValuesAreNotQuotedInValidationErrors() {
        String longSecret = "s".repeat(5000);
        assertThatThrownBy(() -> event().attribute("password", longSecret).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("sss");
        assertThatThrownBy(() -> event().attribute("email", Sensitive.pii(longSecret)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("sss");
    }

    @Test
    void settingsAreValidatedAndTheKeyNeverShown() {
        assertThatThrownBy(() -> Redaction.builder().hmacKey(new byte[8])).hasMessageContaining("hmacKey");
        assertThatThrownBy(() -> Redaction.builder().mask(9, 1)).hasMessageContaining("mask.keepPrefix");
        assertThatThrownBy(() -> Redaction.builder().secretKeys(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("secretKeys");
        Redaction r = Redaction.builder().hmacKey(KEY).secretWord("Mother's Maiden").allowKey("x-session")
                .secretKeys(SecretKeyAction.REJECT).build();
        assertThat(r.toString()).doesNotContain("0123456789abcdef").contains("key=configured");
        Redactor x = new Redactor(r);
        assertThat(x.apply(event().attribute("x-session", 3).build()).attributes()).doesNotContainKey("redacted");
        assertThatThrownBy(() -> x.apply(event().attribute("mothers_maiden", "x").build()))
                .hasMessageContaining("mothersmaiden");
    }
}
