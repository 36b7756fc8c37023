package dev.auditlog.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.auditlog.Actor;
import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLimits;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;
import dev.auditlog.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventJsonTest {

    private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");
    private static final Instant AT = Instant.parse("2026-11-22T21:33:24.123456789Z");

    static AuditEvent.Builder minimal() {
        return AuditEvent.builder().eventId(ID).action("a").actor(Actor.user("u")).outcome(Outcome.success());
    }

    static AuditEvent full() {
        return AuditEvent.builder()
                .eventId(ID)
                .occurredAt(AT)
                .action("authn_login_fail")
                .category(Category.AUTHENTICATION)
                .severity(Severity.WARNING)
                .actor(Actor.builder("alice", ActorType.USER).displayName("Alice").sessionId("s-1")
                        .onBehalfOf(Actor.service("svc")).build())
                .target(Target.of("doc", "42", "Q3"))
                .target("user", "7")
                .outcome(Outcome.of(OutcomeStatus.FAILURE, "bad_password", "wrong"))
                .origin(Origin.builder().host("web-1").channel(Channel.API).userAgent("curl/8").ip("192.0.2.1")
                        .build())
                .tenantId("acme").correlationId("c").requestId("r").spanId("s").traceId("t")
                .message("Login failed")
                .attribute("z", true)
                .attribute("m", Map.of("k", 2, "b", "y"))
                .attribute("a", List.of(1, "x", -9223372036854775808L))
                .build();
    }

    static String json(AuditEvent e) {
        return new String(EventJson.toJson(e), UTF_8);
    }

    @Test
    void exactBytesPinTheFieldOrder() {
        String expected = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\","
                + "\"occurredAt\":\"2026-11-22T21:33:24.123456789Z\","
                + "\"action\":\"authn_login_fail\",\"category\":\"AUTHENTICATION\",\"severity\":\"WARNING\","
                + "\"actor\":{\"id\":\"alice\",\"type\":\"USER\",\"displayName\":\"Alice\",\"sessionId\":\"s-1\","
                + "\"onBehalfOf\":{\"id\":\"svc\",\"type\":\"SERVICE\"}},"
                + "\"targets\":[{\"type\":\"doc\",\"id\":\"42\",\"name\":\"Q3\"},{\"type\":\"user\",\"id\":\"7\"}],"
                + "\"outcome\":{\"status\":\"FAILURE\",\"reasonCode\":\"bad_password\",\"reason\":\"wrong\"},"
                + "\"origin\":{\"ip\":\"192.0.2.1\",\"userAgent\":\"curl/8\",\"channel\":\"API\",\"host\":\"web-1\"},"
                + "\"traceId\":\"t\",\"spanId\":\"s\",\"requestId\":\"r\",\"correlationId\":\"c\",\"tenantId\":\"acme\","
                + "\"message\":\"Login failed\","
                + "\"attributes\":{\"a\":[1,\"x\",-9223372036854775808],\"m\":{\"b\":\"y\",\"k\":2},\"z\":true}}";
        assertThat(json(full())).isEqualTo(expected);
    }

    @Test
    void minimalEventOmitsAbsentOptionals() {
        assertThat(json(minimal().build())).isEqualTo("{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\","
                + "\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\","
                + "\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}}");
        assertThat(json(minimal().origin(Origin.builder().build()).build())).contains(",\"origin\":{}}");
    }

    @Test
    void fallbacksAreUsedOnlyWhenAbsent() throws IOException {
        Instant fallback = Instant.parse("2030-01-01T00:00:00Z");
        String withFallbacks = write(minimal().build(), fallback, "T", "S", "R");
        assertThat(withFallbacks).isEqualTo("{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\","
                + "\"occurredAt\":\"2030-01-01T00:00:00Z\",\"action\":\"a\",\"category\":\"OTHER\","
                + "\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},"
                + "\"traceId\":\"T\",\"spanId\":\"S\",\"requestId\":\"R\"}");
        String own = write(full(), fallback, "T", "S", "R");
        assertThat(own).isEqualTo(json(full()));
        assertThat(write(minimal().build(), null, null, null, null)).isEqualTo(json(minimal().build()));
        assertThat(catchThrowable(() -> write(minimal().build(), null, "", null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceIdIfAbsent");
    }

    private static String write(AuditEvent e, Instant at, String trace, String span, String request)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            EventJson.write(g, e, at, trace, span, request);
        }
        return out.toString(UTF_8);
    }

    @Test
    void everyEscapeIsExactAndOtherNonAsciiIsRawUtf8() {
        StringBuilder value = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (char c = 1; c < 0x20; c++) { // U+0000 is refused (FORMAT.md §4.1)
            value.append(c);
            switch (c) {
                case '\b': expected.append("\\b"); break;
                case '\t': expected.append("\\t"); break;
                case '\n': expected.append("\\n"); break;
                case '\f': expected.append("\\f"); break;
                case '\r': expected.append("\\r"); break;
                default: expected.append(String.format("\\u%04X", (int) c));
            }
        }
        value.append("\u007F\"\\/\u2028\u2029é中😀e\u0301");
        expected.append("\\u007F\\\"\\\\/\\u2028\\u2029é中😀e\u0301");
        AuditEvent e = minimal().message(value.toString()).build();
        byte[] bytes = EventJson.toJson(e);
        assertThat(new String(bytes, UTF_8)).contains("\"message\":\"" + expected + "\"");
        // raw UTF-8 for non-ASCII: é = C3 A9, emoji = F0 9F 98 80 (not a \\uD83D escape)
        assertThat(indexOf(bytes, new byte[] {(byte) 0xC3, (byte) 0xA9})).isNotNegative();
        assertThat(indexOf(bytes, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80})).isNotNegative();
        assertSingleSafeLine(bytes);
    }

    /**
     * Ids, times, actions, target types and IPs are copied as raw bytes on the UTF-8 generators the log uses; every
     * other string goes through Jackson's escapes. A character generator takes the Jackson path for all of them:
     * the bytes must be the same, for random rule-bound values and for every tricky free-form string.
     */
    @Test
    void rawAsciiFieldsMatchJacksonsEscapingByteForByte() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        String[] tricky = {"plain", "q\"uote", "back\\slash", "tab\tnl\ncr\r", "\u0001\u001f\u007f", "é中",
            "😀 pair", "\u2028\u2029", "e\u0301", "a/b", "\u0080\u00ff\u0100", "~!@#$%^&*()", "x".repeat(250)};
        String[] ips = {"192.0.2.1", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::8a2e:370:7334",
            "fe80::1%eth0", "::ffff:192.0.2.128", "FE80:0:0:0:0:0:0:1%en0.1_a-b~",
            "1:2:3:4:5:6:7:8%" + "z".repeat(64)};
        for (int i = 0; i < 2_000; i++) {
            String free = tricky[i % tricky.length];
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            AuditEvent.Builder b = AuditEvent.builder()
                    .eventId(new UUID(random.nextLong(), random.nextLong()))
                    .action(dottedName(random, "abcdefghijklmnopqrstuvwxyz0123456789_", 128))
                    .actor(Actor.builder(free, ActorType.USER).displayName(free).build())
                    .target(Target.of(dottedName(random, "abcdefghijklmnopqrstuvwxyz0123456789_-", 64), free, free))
                    .outcome(Outcome.of(OutcomeStatus.FAILURE, free, free))
                    .origin(Origin.builder().ip(ips[i % ips.length]).userAgent(free).host(free).build())
                    .traceId(free).message(free).attribute("k." + (i % 7), free)
                    .attribute("n", List.of(free, Map.of("m-" + (i % 3), free)));
            Instant at = Instant.ofEpochSecond(random.nextLong(-30_610_224_000L, 253_402_300_800L), nano);
            AuditEvent withTime = b.build().toBuilder().occurredAt(at).build();
            assertThat(EventJson.toJson(withTime)).as("%s", withTime).isEqualTo(jacksonOnly(withTime, null));
            AuditEvent noTime = b.build(); // the time is filled in, as the log does
            assertThat(viaUtf8Generator(noTime, at)).as("%s", noTime).isEqualTo(jacksonOnly(noTime, at));
        }
    }

    /** A random name of {@code [a-z][chars]*(\.[a-z][chars]*)*}, 1 to {@code max} chars. */
    private static String dottedName(java.util.SplittableRandom random, String chars, int max) {
        int length = 1 + random.nextInt(random.nextBoolean() ? 12 : max);
        StringBuilder b = new StringBuilder();
        boolean start = true;
        while (b.length() < length) {
            if (start) {
                b.append((char) ('a' + random.nextInt(26)));
                start = false;
            } else if (b.length() < length - 1 && random.nextInt(8) == 0) {
                b.append('.');
                start = true;
            } else {
                b.append(chars.charAt(random.nextInt(chars.length())));
            }
        }
        return b.toString();
    }

    /** The event's JSON through a character generator, on which nothing is copied raw: Jackson's own escaping. */
    private static byte[] jacksonOnly(AuditEvent e, Instant occurredAtIfAbsent) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            EventJson.write(g, e, occurredAtIfAbsent, null, null, null);
        }
        return out.toString().getBytes(UTF_8);
    }

    private static byte[] viaUtf8Generator(AuditEvent e, Instant occurredAtIfAbsent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            EventJson.write(g, e, occurredAtIfAbsent, null, null, null);
        }
        return out.toByteArray();
    }

    @Test
    void cwe117ForgedLinesCannotAppear() {
        String forged = "ok\"}\n{\"action\":\"x\"\r\n\u2028\u2029\u0085";
        AuditEvent e = minimal().message(forged).actor(Actor.builder(forged, ActorType.USER).displayName(forged)
                        .build())
                .target(Target.of("doc", forged, forged)).outcome(Outcome.of(OutcomeStatus.DENIED, forged, forged))
                .origin(Origin.builder().userAgent(forged).host(forged).build()).traceId(forged).tenantId(forged)
                .attribute("a", forged).attribute("l", List.of(forged, Map.of("k", forged))).build();
        byte[] bytes = EventJson.toJson(e);
        assertSingleSafeLine(bytes);
        assertThat(new String(bytes, UTF_8)).doesNotContain("\"}\n{").contains("ok\\\"}\\n{\\\"action\\\":\\\"x\\\"");
    }

    private static void assertSingleSafeLine(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            assertThat(b).as("byte %d", i).isGreaterThanOrEqualTo(0x20).isNotEqualTo(0x7F);
        }
        assertThat(indexOf(bytes, new byte[] {(byte) 0xE2, (byte) 0x80, (byte) 0xA8})).isNegative();
        assertThat(indexOf(bytes, new byte[] {(byte) 0xE2, (byte) 0x80, (byte) 0xA9})).isNegative();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static Stream<AuditEvent> roundTripEvents() {
        StringBuilder allEscapes = new StringBuilder();
        for (char c = 1; c < 0x20; c++) { // U+0000 is refused (FORMAT.md §4.1)
            allEscapes.append(c);
        }
        allEscapes.append("\u007F\"\\\u2028\u2029");
        String unicode = "😀👩‍💻 中文 日本語 한국어 e\u0301 a\u0308 \uD834\uDD1E \uFEFF \u202E";
        String max = "\uD83D\uDE00".repeat(128); // 256 chars, all surrogate pairs
        List<AuditEvent> events = new ArrayList<>(List.of(
                full(),
                minimal().build(),
                minimal().message(unicode).actor(Actor.user(unicode)).attribute("u", unicode)
                        .attribute("m", Map.of("k", List.of(unicode))).target(Target.of("doc", unicode, unicode))
                        .build(),
                minimal().message(allEscapes.toString()).actor(Actor.builder(allEscapes.toString(), ActorType.SYSTEM)
                        .sessionId(allEscapes.toString()).build()).attribute("e", allEscapes.toString())
                        .origin(Origin.builder().userAgent(allEscapes.toString()).ip("fe80::1%eth0").build()).build(),
                minimal().actor(Actor.builder(max, ActorType.USER).displayName("é".repeat(512)).sessionId(max)
                                .build())
                        .target(Target.of("t".repeat(64), max, "x".repeat(512)))
                        .outcome(Outcome.of(OutcomeStatus.UNKNOWN, max, "\u2028".repeat(8192)))
                        .origin(Origin.builder().userAgent("u".repeat(1024)).host(max).channel(Channel.JOB).build())
                        .traceId(max).spanId(max).requestId(max).correlationId(max).tenantId(max)
                        .message("\n".repeat(8192)).action("a".repeat(128))
                        .attribute("s" + "x".repeat(63), "\"".repeat(4096)).build(),
                minimal().attribute("deep", List.of(Map.of("k", List.of(Map.of("leaf", Long.MAX_VALUE)))))
                        .attribute("b", false).attribute("n", Long.MIN_VALUE)
                        .attribute("empty_list", List.of()).attribute("empty_map", Map.of()).build(),
                minimal().occurredAt(Instant.parse("1000-01-01T00:00:00Z")).build(),
                minimal().occurredAt(Instant.parse("9999-12-31T23:59:59.999999999Z")).build(),
                minimal().occurredAt(Instant.EPOCH).build(),
                minimal().occurredAt(Instant.ofEpochSecond(0, 1)).build(),
                minimal().occurredAt(Instant.ofEpochSecond(-1, 999_999_999)).build(),
                minimal().occurredAt(Instant.ofEpochSecond(1_700_000_000, 120_000_000)).build(),
                minimal().eventId(UUID.randomUUID()).build(),
                AuditEvent.builder().action("b").actor(Actor.user("u")).outcome(Outcome.success()).build()));
        for (Category c : Category.values()) {
            events.add(minimal().category(c).severity(Severity.values()[c.ordinal() % Severity.values().length])
                    .outcome(Outcome.of(OutcomeStatus.values()[c.ordinal() % OutcomeStatus.values().length])).build());
        }
        return events.stream();
    }

    @ParameterizedTest
    @MethodSource("roundTripEvents")
    void roundTripsExactly(AuditEvent e) throws IOException {
        byte[] bytes = EventJson.toJson(e);
        AuditEvent parsed = EventJsonReader.fromJson(bytes);
        assertThat(parsed).isEqualTo(e);
        assertThat(EventJson.toJson(parsed)).isEqualTo(bytes);
        assertSingleSafeLine(bytes);
    }

    @Test
    void customLimitsRecordParsesBackWithFromJson() throws IOException {
        AuditLimits big = AuditLimits.builder().maxIdLength(10_000).maxAttributeDepth(10).maxAttributes(200)
                .maxAttributeElements(5000).build();
        Object deep = "leaf";
        for (int i = 0; i < 10; i++) {
            deep = List.of(deep);
        }
        AuditEvent.Builder b = AuditEvent.builder(big).eventId(ID).action("a").actor(Actor.user("x".repeat(10_000)))
                .outcome(Outcome.success()).attribute("deep", (List<?>) deep);
        for (int i = 0; i < 199; i++) {
            b.attribute("a" + i, Collections.nCopies(20, i));
        }
        AuditEvent e = b.build();
        byte[] bytes = EventJson.toJson(e);
        assertThat(EventJsonReader.fromJson(bytes)).isEqualTo(e);
        // but reading under the default limits enforces them
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            assertThat(catchThrowable(() -> EventJsonReader.read(p, AuditLimits.defaults())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attributes.deep")
                    .hasMessageContaining("maxAttributeDepth");
        }
    }

    @Test
    void deterministicBytes() {
        assertThat(EventJson.toJson(full())).isEqualTo(EventJson.toJson(full()));
        Map<String, Object> forward = new LinkedHashMap<>();
        Map<String, Object> backward = new LinkedHashMap<>();
        List<String> keys = List.of("a", "B", "c.d", "c-d", "Z", "z9");
        for (int i = 0; i < keys.size(); i++) {
            forward.put(keys.get(i), i);
            backward.put(keys.get(keys.size() - 1 - i), keys.size() - 1 - i);
        }
        AuditEvent.Builder one = minimal();
        AuditEvent.Builder two = minimal();
        for (int i = 0; i < keys.size(); i++) {
            one.attribute(keys.get(i), Map.of("nested", forward));
            two.attribute(keys.get(keys.size() - 1 - i), Map.of("nested", backward));
        }
        byte[] a = EventJson.toJson(one.build());
        byte[] b = EventJson.toJson(two.build());
        assertThat(a).isEqualTo(b);
        assertThat(new String(a, UTF_8)).contains("\"attributes\":{\"B\":{\"nested\":{\"B\":1,\"Z\":4,\"a\":0,");
        assertThat(new TreeMap<>(forward)).isEqualTo(backward);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"bogus\":1}|event has unknown field \"bogus\"",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\",\"x\":\"y\"},\"outcome\":{\"status\":\"SUCCESS\"}}|actor has unknown field \"x\"",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"message\":5}|message must be a JSON string, was VALUE_NUMBER_INT",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"message\":null}|message must be a JSON string, was null",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\",\"id\":\"v\"},\"outcome\":{\"status\":\"SUCCESS\"}}|Duplicate field 'id'",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"attributes\":{\"f\":1.5}}|attributes.f must be an integer that fits in a long",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"attributes\":{\"f\":[1e3]}}|attributes.f[0] must be an integer that fits in a long",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"attributes\":{\"f\":9223372036854775808}}|attributes.f must be an integer that fits in a long",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"attributes\":{\"f\":{\"k\":null}}}|attributes.f.k must be a string, integer, boolean, array or object, was null",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"action\":\"b\"}|Duplicate field 'action'",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"}}|event is missing required field \"outcome\"",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\"},\"outcome\":{\"status\":\"SUCCESS\"}}|actor is missing required field \"type\"",
        "{\"id\":\"01890A5D-AC96-774B-BCCE-B302099A8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}}|id must be a canonical lower-case UUID",
        "{\"id\":\"1-1-1-1-1\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}}|id must be a canonical lower-case UUID",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"occurredAt\":\"2026-01-01T00:00:00.000Z\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}}|occurredAt must be a canonical ISO-8601 UTC instant",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"occurredAt\":\"yesterday\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}}|occurredAt must be a canonical ISO-8601 UTC instant",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"other\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}}|category must be one of [AUTHENTICATION",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}} {}|unexpected content after the event object",
        "[]|event must be a JSON object, was a JSON array",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"targets\":{}}|targets must be a JSON array",
        "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\",\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},\"message\":\"x\",}|Unexpected character",
    })
    void strictParsingRejectsWithIoException(String row) {
        String[] parts = row.split("\\|", 2);
        Throwable thrown = catchThrowable(() -> EventJsonReader.fromJson(parts[0].getBytes(UTF_8)));
        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining(parts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\udc00\\ud800", "\\ud83d"})
    void parsedLoneSurrogatesAreRejectedByTheBuilders(String escaped) {
        String base = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\","
                + "\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}";
        List<String> documents = List.of(
                base + ",\"message\":\"" + escaped + "\"}",
                base + ",\"attributes\":{\"a\":\"" + escaped + "\"}}",
                base + ",\"attributes\":{\"a\":[\"ok\",{\"k\":\"" + escaped + "\"}]}}",
                base.replace("{\"id\":\"u\"", "{\"id\":\"" + escaped + "\"") + "}");
        for (String json : documents) {
            Throwable thrown = catchThrowable(() -> EventJsonReader.fromJson(json.getBytes(UTF_8)));
            assertThat(thrown).as(json).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be well-formed UTF-16: lone surrogate at index");
        }
        // in field names (attribute map keys) Jackson itself already refuses lone surrogates
        String key = base + ",\"attributes\":{\"m\":{\"" + escaped + "\":1}}}";
        assertThat(catchThrowable(() -> EventJsonReader.fromJson(key.getBytes(UTF_8))))
                .isInstanceOf(IOException.class).hasMessageContaining("surrogate");
    }

    @Test
    void invalidIpAndBadActionInJsonAreRejected() {
        String base = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"%s\",\"category\":\"OTHER\","
                + "\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"}"
                + ",\"origin\":{\"ip\":\"%s\"}}";
        assertThat(catchThrowable(() -> EventJsonReader.fromJson(String.format(base, "a", "01.2.3.4").getBytes(UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("origin.ip");
        assertThat(catchThrowable(() -> EventJsonReader.fromJson(String.format(base, "A b", "::1").getBytes(UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("action must match");
    }

    @Test
    void readLeavesParserAtEndOfObjectForStreams() throws IOException {
        byte[] one = EventJson.toJson(full());
        byte[] two = EventJson.toJson(minimal().build());
        String stream = new String(one, UTF_8) + "\n" + new String(two, UTF_8) + "\n";
        try (JsonParser p = Json.FACTORY.createParser(stream.getBytes(UTF_8))) {
            assertThat(EventJsonReader.read(p, AuditLimits.defaults())).isEqualTo(full());
            assertThat(EventJsonReader.read(p, AuditLimits.defaults())).isEqualTo(minimal().build());
            assertThat(p.nextToken()).isNull();
        }
    }

    @Test
    void nestingBeyondParserLimitIsRejected() {
        String deep = "[".repeat(40) + "]".repeat(40);
        String json = "{\"id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"action\":\"a\",\"category\":\"OTHER\","
                + "\"severity\":\"INFO\",\"actor\":{\"id\":\"u\",\"type\":\"USER\"},\"outcome\":{\"status\":\"SUCCESS\"},"
                + "\"attributes\":{\"d\":" + deep + "}}";
        assertThat(catchThrowable(() -> EventJsonReader.fromJson(json.getBytes(UTF_8)))).isInstanceOf(IOException.class)
                .hasMessageContaining("nesting depth");
    }
}
