package dev.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    private static final String ACTION_RULE = "action must match [a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)* and be 1-128 chars";
    private static final String NAME_RULE = "must match [A-Za-z][A-Za-z0-9_.-]*";
    private static final String IP_RULE = "origin.ip must be an IPv4 dotted-quad or IPv6 literal";

    static AuditEvent.Builder base() {
        return AuditEvent.builder().action("test.action").actor(Actor.user("u1")).outcome(Outcome.success());
    }

    static String x(int n) {
        return "x".repeat(n);
    }

    static Arguments bad(String description, ThrowingCallable call, Class<? extends Throwable> type,
            String... fragments) {
        return Arguments.of(description, call, type, fragments);
    }

    static List<Object> nested(int depth) {
        Object value = "leaf";
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) value;
        return list;
    }

    static Stream<Arguments> violations() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        String ids = "must be at most 256 chars (maxIdLength)";
        String names = "must be at most 512 chars (maxNameLength)";
        String texts = "must be at most 8192 chars (maxTextLength)";
        List<Arguments> cases = new ArrayList<>(List.of(
                // --- maxIdLength
                bad("actor id", () -> base().actor(Actor.user(x(257))).build(), iae, "actor.id", ids),
                bad("on-behalf-of id", () -> base().actor(Actor.builder("u", ActorType.USER)
                        .onBehalfOf(Actor.user(x(257))).build()).build(), iae, "actor.onBehalfOf.id", ids),
                bad("session id", () -> base().actor(Actor.builder("u", ActorType.USER).sessionId(x(257)).build())
                        .build(), iae, "actor.sessionId", ids),
                bad("target id", () -> base().target("doc", x(257)).build(), iae, "targets[0].id", ids),
                bad("second target id", () -> base().target("doc", "1").target("doc", x(257)).build(), iae,
                        "targets[1].id", ids),
                bad("trace id", () -> base().traceId(x(257)), iae, "traceId", ids),
                bad("span id", () -> base().spanId(x(257)), iae, "spanId", ids),
                bad("request id", () -> base().requestId(x(257)), iae, "requestId", ids),
                bad("correlation id", () -> base().correlationId(x(257)), iae, "correlationId", ids),
                bad("tenant id", () -> base().tenantId(x(257)), iae, "tenantId", ids),
                bad("host", () -> base().origin(Origin.builder().host(x(257)).build()).build(), iae, "origin.host",
                        ids),
                bad("reason code", () -> base().outcome(Outcome.failure(x(257))).build(), iae,
                        "outcome.reasonCode", ids),
                // --- maxNameLength
                bad("display name", () -> base().actor(Actor.builder("u", ActorType.USER).displayName(x(513))
                        .build()).build(), iae, "actor.displayName", names),
                bad("target name", () -> base().target(Target.of("doc", "1", x(513))).build(), iae,
                        "targets[0].name", names),
                // --- maxTextLength
                bad("message", () -> base().message(x(8193)), iae, "message", texts),
                bad("reason", () -> base().outcome(Outcome.of(OutcomeStatus.FAILURE, "c", x(8193))).build(), iae,
                        "outcome.reason", texts),
                // --- maxUserAgentLength
                bad("user agent", () -> base().origin(Origin.builder().userAgent(x(1025)).build()).build(), iae,
                        "origin.userAgent", "must be at most 1024 chars (maxUserAgentLength)"),
                // --- attributes
                bad("attribute count", () -> {
                    AuditEvent.Builder b = base();
                    for (int i = 0; i < 65; i++) {
                        b.attribute("a" + i, i);
                    }
                    b.build();
                }, iae, "attributes", "at most 64 entries (maxAttributes), was 65"),
                bad("attribute depth", () -> base().attribute("deep", nested(5)), iae, "attributes.deep",
                        "nested at most 4 levels", "maxAttributeDepth"),
                bad("attribute depth via map", () -> base().attribute("deep", Map.of("k", nested(4))), iae,
                        "attributes.deep.k", "nested at most 4 levels", "maxAttributeDepth"),
                bad("attribute elements", () -> base().attribute("big", new ArrayList<>(java.util.Collections
                        .nCopies(1024, 1L))).build(), iae, "at most 1024 values in total (maxAttributeElements)",
                        "attributes.big[1023]"),
                bad("attribute elements across attributes", () -> base().attribute("a", java.util.Collections
                        .nCopies(600, "v")).attribute("b", java.util.Collections.nCopies(600, "v")).build(), iae,
                        "maxAttributeElements", "attributes.b["),
                bad("attribute string", () -> base().attribute("s", x(4097)).build(), iae, "attributes.s",
                        "must be at most 4096 chars (maxAttributeStringLength)"),
                bad("attribute string in list", () -> base().attribute("l", List.of("ok", x(4097))).build(), iae,
                        "attributes.l[1]", "maxAttributeStringLength"),
                bad("attribute name length", () -> base().attribute("n" + x(64), "v"), iae, "attribute name",
                        "must be at most 64 chars (maxAttributeNameLength)"),
                bad("map key length", () -> base().attribute("m", Map.of("k" + x(64), "v")), iae, "attributes.m key",
                        "maxAttributeNameLength"),
                // --- required fields
                bad("missing action", () -> AuditEvent.builder().actor(Actor.user("u")).outcome(Outcome.success())
                        .build(), IllegalStateException.class, "action is required"),
                bad("missing actor", () -> AuditEvent.builder().action("a").outcome(Outcome.success()).build(),
                        IllegalStateException.class, "actor is required"),
                bad("missing outcome", () -> AuditEvent.builder().action("a").actor(Actor.user("u")).build(),
                        IllegalStateException.class, "outcome is required"),
                bad("missing actor id", () -> Actor.builder().type(ActorType.USER).build(),
                        IllegalStateException.class, "actor.id is required"),
                bad("missing actor type", () -> Actor.builder().id("u").build(), IllegalStateException.class,
                        "actor.type is required"),
                // --- actor chain depth
                bad("on-behalf-of depth", () -> {
                    Actor a = Actor.user("u0");
                    for (int i = 1; i <= 5; i++) {
                        a = Actor.builder("u" + i, ActorType.SERVICE).onBehalfOf(a).build();
                    }
                }, iae, "actor.onBehalfOf", "must be nested at most 4 levels deep, was 5"),
                // --- attribute types
                bad("double in list", () -> base().attribute("l", List.of(1L, 2.5)), iae, "attributes.l[1]",
                        "java.lang.Double", "must be String, Long, Boolean, List or Map"),
                bad("char in map", () -> base().attribute("m", Map.of("k", 'c')), iae, "attributes.m.k",
                        "java.lang.Character"),
                bad("object deep", () -> base().attribute("m", Map.of("k", List.of(List.of(new Object())))), iae,
                        "attributes.m.k[0][0]", "java.lang.Object"),
                bad("non-string key", () -> base().attribute("m", rawMap(1, "v")), iae, "attributes.m keys must be "
                        + "String", "java.lang.Integer"),
                bad("null list element", () -> base().attribute("l", java.util.Arrays.asList("a", null)),
                        NullPointerException.class, "attributes.l[1]"),
                bad("null map value", () -> base().attribute("m", nullValueMap()), NullPointerException.class,
                        "attributes.m.k"),
                // --- target type
                bad("target type upper", () -> Target.of("Doc", "1"), iae, "target.type must match"),
                bad("target type space", () -> Target.of("doc type", "1"), iae, "target.type must match"),
                bad("target type leading dash", () -> Target.of("-doc", "1"), iae, "target.type must match"),
                bad("target type too long", () -> Target.of(x(65), "1"), iae, "target.type", "1-64 chars"),
                bad("target type empty", () -> Target.of("", "1"), iae, "target.type must not be empty"),
                // --- message escaping / shortening
                bad("escaped newline in message", () -> base().action("bad\naction"), iae, ACTION_RULE,
                        "was \"bad\\naction\""),
                bad("shortened value", () -> base().action("A" + x(299)), iae, ACTION_RULE, "…(300 chars)\"")
        ));
        // --- empty strings
        String empty = "must not be empty";
        cases.addAll(List.of(
                bad("empty action", () -> base().action(""), iae, "action", empty),
                bad("empty actor id", () -> Actor.user(""), iae, "actor.id", empty),
                bad("empty display name", () -> Actor.builder().displayName(""), iae, "actor.displayName", empty),
                bad("empty session id", () -> Actor.builder().sessionId(""), iae, "actor.sessionId", empty),
                bad("empty target id", () -> Target.of("doc", ""), iae, "target.id", empty),
                bad("empty target name", () -> Target.of("doc", "1", ""), iae, "target.name", empty),
                bad("empty reason code", () -> Outcome.failure(""), iae, "outcome.reasonCode", empty),
                bad("empty reason", () -> Outcome.of(OutcomeStatus.FAILURE, "c", ""), iae, "outcome.reason", empty),
                bad("empty ip", () -> Origin.builder().ip(""), iae, "origin.ip", empty),
                bad("empty user agent", () -> Origin.builder().userAgent(""), iae, "origin.userAgent", empty),
                bad("empty host", () -> Origin.builder().host(""), iae, "origin.host", empty),
                bad("empty trace id", () -> base().traceId(""), iae, "traceId", empty),
                bad("empty span id", () -> base().spanId(""), iae, "spanId", empty),
                bad("empty request id", () -> base().requestId(""), iae, "requestId", empty),
                bad("empty correlation id", () -> base().correlationId(""), iae, "correlationId", empty),
                bad("empty tenant id", () -> base().tenantId(""), iae, "tenantId", empty),
                bad("empty message", () -> base().message(""), iae, "message", empty),
                bad("empty attribute name", () -> base().attribute("", "v"), iae, "attribute name", empty),
                bad("empty attribute value", () -> base().attribute("a", "").build(), iae, "attributes.a", empty),
                bad("empty map key", () -> base().attribute("m", Map.of("", "v")), iae, "attributes.m key", empty)));
        // --- lone surrogates: high, low, reversed pair
        String[][] surrogates = {
            {"high", "ab\uD800", "2"}, {"low", "ab\uDC00c", "2"}, {"reversed", "a\uDC00\uD800", "1"},
            {"high before high pair", "\uD800\uD83D\uDE00", "0"},
        };
        for (String[] s : surrogates) {
            String v = s[1];
            String rule = "must be well-formed UTF-16: lone surrogate at index " + s[2];
            cases.addAll(List.of(
                    bad(s[0] + " in message", () -> base().message(v), iae, "message", rule),
                    bad(s[0] + " in action", () -> base().action(v), iae, "action", rule),
                    bad(s[0] + " in actor id", () -> Actor.user(v), iae, "actor.id", rule),
                    bad(s[0] + " in display name", () -> Actor.builder().displayName(v), iae, "actor.displayName",
                            rule),
                    bad(s[0] + " in target name", () -> Target.of("doc", "1", v), iae, "target.name", rule),
                    bad(s[0] + " in target type", () -> Target.of(v, "1"), iae, "target.type", rule),
                    bad(s[0] + " in reason", () -> Outcome.of(OutcomeStatus.DENIED, "c", v), iae, "outcome.reason",
                            rule),
                    bad(s[0] + " in user agent", () -> Origin.builder().userAgent(v), iae, "origin.userAgent", rule),
                    bad(s[0] + " in ip", () -> Origin.builder().ip(v), iae, "origin.ip", rule),
                    bad(s[0] + " in trace id", () -> base().traceId(v), iae, "traceId", rule),
                    bad(s[0] + " in tenant id", () -> base().tenantId(v), iae, "tenantId", rule),
                    bad(s[0] + " in attribute value", () -> base().attribute("a", v).build(), iae, "attributes.a",
                            rule),
                    bad(s[0] + " in list element", () -> base().attribute("l", List.of("ok", v)).build(), iae,
                            "attributes.l[1]", rule),
                    bad(s[0] + " in nested map value", () -> base().attribute("m", Map.of("k", Map.of("j", v)))
                            .build(), iae, "attributes.m.k.j", rule),
                    bad(s[0] + " in map key", () -> base().attribute("m", Map.of(v, "x")), iae, "attributes.m key",
                            rule),
                    bad(s[0] + " in attribute name", () -> base().attribute(v, "x"), iae, "attribute name", rule)));
        }
        return cases.stream();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, ?> rawMap(Object key, Object value) {
        Map raw = new HashMap();
        raw.put(key, value);
        return raw;
    }

    private static Map<String, ?> nullValueMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("k", null);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void rejectsWithExceptionNamingFieldAndRule(String description, ThrowingCallable call,
            Class<? extends Throwable> type, String[] fragments) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as(description).isInstanceOf(type);
        assertThat(thrown.getMessage()).as(description).contains(fragments)
                .doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028");
    }

    @Test
    void valuesExactlyAtTheLimitsAreAccepted() {
        AuditEvent.Builder b = AuditEvent.builder()
                .action("a".repeat(128))
                .actor(Actor.builder(x(256), ActorType.USER).displayName(x(512)).sessionId(x(256))
                        .onBehalfOf(Actor.user(x(256))).build())
                .target(Target.of("t".repeat(64), x(256), x(512)))
                .outcome(Outcome.of(OutcomeStatus.FAILURE, x(256), x(8192)))
                .origin(Origin.builder().ip("::1").userAgent(x(1024)).host(x(256)).channel(Channel.API).build())
                .traceId(x(256)).spanId(x(256)).requestId(x(256)).correlationId(x(256)).tenantId(x(256))
                .message(x(8192))
                .attribute("s", x(4096))
                .attribute("n" + x(63), true)
                .attribute("deep", nested(4))
                .attribute("m", Map.of("k" + x(63), 1));
        for (int i = 0; i < 59; i++) {
            b.attribute("a" + i, i);
        }
        // elements so far: s 1, n.. 1, deep 4 containers + leaf, m 1 + 1 value, 59 -> 68; fill adds 1 + 955
        b.attribute("fill", java.util.Collections.nCopies(1024 - 69, 1L));
        AuditEvent e = b.build();
        assertThat(e.attributes()).hasSize(64);
        assertThat(catchThrowable(() -> e.toBuilder().attribute("one_more", 1).build()))
                .hasMessageContaining("maxAttributes");
        assertThat(catchThrowable(() -> e.toBuilder().attribute("fill", java.util.Collections.nCopies(956, 1L))
                .build())).hasMessageContaining("maxAttributeElements");
    }

    @Test
    void controlCharsQuotesAndSeparatorsAreLegalValues() {
        String nasty = "line1\nline2\r\t\"q\"\\ \u0001\u001F\u007F\u2028\u2029";
        assertThatCode(() -> base().message(nasty).actor(Actor.user(nasty)).attribute("a", nasty)
                .target(Target.of("doc", nasty, nasty)).build()).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad Action", "1abc", "a..b", ".a", "a.", "a-b", "A", "a.1b", "a b", "ä", "a/b",
        "_a", "a.B"})
    void rejectsBadActionNames(String action) {
        Throwable thrown = catchThrowable(() -> base().action(action));
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        assertThat(thrown.getMessage()).startsWith(ACTION_RULE).contains("was \"" + action + "\"");
    }

    @Test
    void actionLengthRule() {
        assertThat(catchThrowable(() -> base().action("a".repeat(129)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ACTION_RULE);
        assertThat(base().action("a".repeat(128)).build().action()).hasSize(128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "authn_login_fail", "a.b_c.d1", "x9.y_", "sys.startup.v2"})
    void acceptsGoodActionNames(String action) {
        assertThat(base().action(action).build().action()).isEqualTo(action);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1a", "_a", "a b", "a/b", "ä", ".a", "-a", "a:b"})
    void rejectsBadAttributeNamesAndKeys(String name) {
        assertThat(catchThrowable(() -> base().attribute(name, "v"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute name " + NAME_RULE);
        assertThat(catchThrowable(() -> base().attribute("m", Map.of(name, "v"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributes.m key " + NAME_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A", "http.status_code", "x-y", "a1.B2-c_3"})
    void acceptsGoodAttributeNames(String name) {
        assertThat(base().attribute(name, "v").attribute("m", Map.of(name, 1)).build().attributes())
                .containsKey(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"doc", "billing.invoice", "s3-object", "a_b.c-d", "t9"})
    void acceptsGoodTargetTypes(String type) {
        assertThat(Target.of(type, "1").type()).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "256.1.1.1", "01.2.3.4", "::1::", "example.com", "1.2.3.4 ", " 1.2.3.4",
        "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.-4", "1.2.3.4%eth0", "00.1.1.1", "1.2.3.0001",
        ":::", ":1::", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "12345::", "g::",
        "::ffff:1.2.3", "::ffff:256.0.0.1", "::1.2.3.4:5", "1.2.3.4::", "fe80::1%", "fe80::1%eth 0",
        "[::1]", "::1/128", "::%eth0%x", "1:2:3:4:5:6:7:1.2.3.4", "\u0661.2.3.4", "localhost"})
    void rejectsBadIps(String ip) {
        assertThat(catchThrowable(() -> Origin.builder().ip(ip))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(IP_RULE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2001:db8::1", "::ffff:192.0.2.1", "fe80::1%eth0", "0.0.0.0",
        "255.255.255.255", "192.0.2.1", "10.0.0.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::8", "1::", "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "ABCD:ef01::", "fe80::1%25", "2001:DB8:0:0:8:800:200C:417A"})
    void acceptsGoodIpsVerbatim(String ip) {
        assertThat(Origin.builder().ip(ip).build().ip()).contains(ip);
    }

    @Test
    void limitsBuilderRejectsNonPositiveValues() {
        assertThat(catchThrowable(() -> AuditLimits.builder().maxIdLength(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxIdLength must be positive, was 0");
        assertThat(catchThrowable(() -> AuditLimits.builder().maxAttributeDepth(-3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttributeDepth must be positive, was -3");
        assertThat(AuditLimits.defaults()).isEqualTo(AuditLimits.builder().build());
        assertThat(AuditLimits.defaults().maxIdLength()).isEqualTo(256);
        assertThat(AuditLimits.defaults().maxAttributeElements()).isEqualTo(1024);
    }

    @Test
    void customLimitsApply() {
        AuditLimits small = AuditLimits.builder().maxIdLength(8).maxAttributes(1).build();
        assertThat(catchThrowable(() -> AuditEvent.builder(small).action("a").actor(Actor.user(x(9)))
                .outcome(Outcome.success()).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actor.id must be at most 8 chars (maxIdLength)");
        AuditLimits large = AuditLimits.builder().maxIdLength(1000).build();
        AuditEvent e = AuditEvent.builder(large).action("a").actor(Actor.user(x(900))).outcome(Outcome.success())
                .build();
        assertThat(e.toBuilder().build()).isEqualTo(e); // toBuilder keeps the limits it was built with
    }
}
