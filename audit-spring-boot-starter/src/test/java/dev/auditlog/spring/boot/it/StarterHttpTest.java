package dev.auditlog.spring.boot.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Spring Boot application (Tomcat on a random port, Spring Security, Actuator, Prometheus) driven over HTTP
 * with the JDK client, from logins to the verified log. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StarterHttpTest {
    @TempDir
    static Path dir;
    static SigningKey key;
    static ConfigurableApplicationContext app;
    static HttpClient http;
    static String base;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws IOException {
        key = Ed25519Keys.generate("shop-test");
        Path keyFile = dir.resolve("auditlog.key");
        Ed25519Keys.writeSigningKey(keyFile, key);
        app = new SpringApplicationBuilder(ShopApplication.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--auditlog.log-id=shop",
                "--auditlog.sink=file:" + dir.resolve("audit"),
                "--auditlog.checkpoint.key-file=" + keyFile,
                "--auditlog.checkpoint.every-records=50",
                "--auditlog.anchor.directory=" + dir.resolve("anchor"),
                "--auditlog.protection.rules[0].id=login-burst",
                "--auditlog.protection.rules[0].action=authn_login_fail",
                "--auditlog.protection.rules[0].count=5",
                "--auditlog.protection.rules[0].within=1m",
                "--auditlog.protection.rules[0].severity=ERROR",
                "--auditlog.protection.rules[0].lock-for=15m",
                "--auditlog.web.lockout.status=423",
                "--management.endpoints.web.exposure.include=health,auditevents,prometheus",
                "--management.endpoint.health.show-details=always");
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, String user, String password)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AuditLog log() {
        return app.getBean(AuditLog.class);
    }

    private static JsonNode auditEvents(String query) throws Exception {
        HttpResponse<String> r = get("/actuator/auditevents" + query, "admin", "admin-pw");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void loginsSucceedAndFail() throws Exception {
        assertThat(get("/api/hello", "alice", "alice-pw").statusCode()).isEqualTo(200);
        assertThat(get("/api/hello", "alice", "wrong").statusCode()).isEqualTo(401);
        log().flush();
        JsonNode ok = auditEvents("?principal=alice&type=AUTHENTICATION_SUCCESS");
        assertThat(ok.get("events")).hasSize(1);
        JsonNode event = ok.get("events").get(0);
        assertThat(event.get("principal").asText()).isEqualTo("alice");
        assertThat(event.get("data").get("action").asText()).isEqualTo("authn_login_success");
        assertThat(event.get("data").get("remoteAddress").asText()).isEqualTo("127.0.0.1");
        JsonNode failed = auditEvents("?principal=alice&type=AUTHENTICATION_FAILURE");
        assertThat(failed.get("events")).hasSize(1);
        assertThat(failed.get("events").get(0).get("data").get("reasonCode").asText()).isEqualTo("bad_credentials");
        assertThat(failed.get("events").get(0).get("data").get("outcome").asText()).isEqualTo("FAILURE");
    }

    @Test
    @Order(2)
    void aForbiddenPageIsAnAuthorizationFailure() throws Exception {
        int before = ShopApplication.CONTROLLER_CALLS.get();
        assertThat(get("/admin/settings", "alice", "alice-pw").statusCode()).isEqualTo(403);
        assertThat(ShopApplication.CONTROLLER_CALLS.get()).isEqualTo(before);
        JsonNode denied = auditEvents("?principal=alice&type=AUTHORIZATION_FAILURE");
        assertThat(denied.get("events")).hasSize(1);
        JsonNode data = denied.get("events").get(0).get("data");
        assertThat(data.get("action").asText()).isEqualTo("authz_fail");
        assertThat(data.get("outcome").asText()).isEqualTo("DENIED");
        assertThat(data.get("targets").get(0).get("id").asText()).isEqualTo("GET /admin/settings");
    }

    @Test
    @Order(3)
    void aFailedLoginBurstLocksTheActorOutBeforeTheControllerRuns() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/api/hello", "bob", "guess-" + i).statusCode()).isEqualTo(401);
        }
        log().flush(); // waits for the detection rules and their alert and lock records too
        int before = ShopApplication.CONTROLLER_CALLS.get();
        HttpResponse<String> locked = get("/api/hello", "bob", "bob-pw"); // the right password, too late
        assertThat(locked.statusCode()).isEqualTo(423);
        assertThat(locked.body()).doesNotContain("locked out").doesNotContain("login-burst");
        assertThat(ShopApplication.CONTROLLER_CALLS.get()).isEqualTo(before);
        // Others are not affected.
        assertThat(get("/api/hello", "alice", "alice-pw").statusCode()).isEqualTo(200);

        JsonNode alerts = auditEvents("?type=audit.alert");
        assertThat(alerts.get("events")).hasSize(1);
        assertThat(alerts.get("events").get(0).get("data").get("attributes").get("alert.rule").asText())
                .isEqualTo("login-burst");
        JsonNode denied = auditEvents("?principal=bob&type=http.request");
        assertThat(denied.get("events")).last().satisfies(e -> {
            assertThat(e.get("data").get("outcome").asText()).isEqualTo("DENIED");
            assertThat(e.get("data").get("reasonCode").asText()).isEqualTo("locked-out");
        });
        // bob's correct password never reached Spring Security: no success recorded for him.
        assertThat(auditEvents("?principal=bob&type=AUTHENTICATION_SUCCESS").get("events")).isEmpty();
    }

    @Test
    @Order(4)
    void auditedMethodsRecordSuccessFailureAndGuardDenials() throws Exception {
        assertThat(post("/api/documents/d-1/delete", "reason=" + URLEncoder.encode("old draft",
                StandardCharsets.UTF_8), "alice", "alice-pw").statusCode()).isEqualTo(200);
        assertThat(post("/api/documents/broken-2/delete", "reason=cleanup", "alice", "alice-pw").statusCode())
                .isEqualTo(500);
        int runs = ShopApplication.DELETES_RUN.get();
        assertThat(post("/api/documents/secret-3/delete", "reason=curious", "alice", "alice-pw").statusCode())
                .isEqualTo(403);
        assertThat(ShopApplication.DELETES_RUN.get()).as("the guard denies before the method runs").isEqualTo(runs);

        List<JsonNode> deletes = new ArrayList<>();
        auditEvents("?type=document.delete").get("events").forEach(deletes::add);
        // Each guarded call: the decision (PENDING or DENIED), then for an allowed one its outcome.
        assertThat(deletes).extracting(e -> e.get("data").get("outcome").asText() + " "
                        + e.get("data").get("targets").get(0).get("id").asText())
                .containsExactly("PENDING d-1", "SUCCESS d-1", "PENDING broken-2", "FAILURE broken-2",
                        "DENIED secret-3");
        JsonNode success = deletes.get(1).get("data");
        assertThat(success.get("attributes").get("reason").asText()).isEqualTo("old draft");
        assertThat(success.get("attributes").get("length").asLong()).isEqualTo(9);
        assertThat(deletes.get(1).get("principal").asText()).isEqualTo("alice");
        assertThat(success.get("correlationId").asText()).isEqualTo(deletes.get(0).get("data")
                .get("correlationId").asText());
        JsonNode failure = deletes.get(3).get("data");
        assertThat(failure.get("attributes").get("exception.class").asText())
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(failure.toString()).doesNotContain("disk full");
        assertThat(deletes.get(4).get("data").get("reasonCode").asText()).isEqualTo("secret-documents");
    }

    @Test
    @Order(5)
    void auditEventsPage() throws Exception {
        JsonNode first = auditEvents("?principal=bob&type=AUTHENTICATION_FAILURE&limit=2");
        assertThat(first.get("events")).hasSize(2);
        String token = first.get("nextPageToken").asText();
        JsonNode second = auditEvents("?principal=bob&type=AUTHENTICATION_FAILURE&limit=2&pageToken=" + token);
        JsonNode third = auditEvents("?principal=bob&type=AUTHENTICATION_FAILURE&limit=2&pageToken="
                + second.get("nextPageToken").asText());
        assertThat(third.get("events")).hasSize(1);
        assertThat(third.has("nextPageToken")).isFalse();
        List<Long> sequences = new ArrayList<>();
        for (JsonNode page : List.of(first, second, third)) {
            page.get("events").forEach(e -> sequences.add(e.get("data").get("sequence").asLong()));
        }
        assertThat(sequences).hasSize(5).isSorted().doesNotHaveDuplicates();
        // after= filters by time; a malformed token is a 400 naming the parameter.
        assertThat(auditEvents("?after=2999-01-01T00:00:00Z").get("events")).isEmpty();
        HttpResponse<String> bad = get("/actuator/auditevents?pageToken=abc", "admin", "admin-pw");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("pageToken");
        // Reading the audit events is itself recorded, with the reader.
        assertThat(auditEvents("?type=audit.log.read&principal=admin").get("events").size()).isGreaterThan(3);
    }

    @Test
    @Order(6)
    void healthShowsTheSinkQueueAndCheckpoint() throws Exception {
        HttpResponse<String> r = get("/actuator/health", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode auditlog = JSON.readTree(r.body()).get("components").get("auditlog");
        assertThat(auditlog.get("status").asText()).isEqualTo("UP");
        JsonNode details = auditlog.get("details");
        assertThat(details.get("logId").asText()).isEqualTo("shop");
        assertThat(details.get("sinks").elements().next().get("status").asText()).isEqualTo("OK");
        assertThat(details.has("queueDepth")).isTrue();
        assertThat(details.get("oldestUnsentAge").asText()).startsWith("PT");
        assertThat(details.get("lastCheckpointAge").asText()).startsWith("PT"); // 50+ records: one is durable
    }

    @Test
    @Order(7)
    void prometheusShowsTheLogsMeters() throws Exception {
        log().flush();
        HttpResponse<String> r = get("/actuator/prometheus", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        String text = r.body();
        assertThat(text).containsPattern("auditlog_records_written_total\\{log=\"shop\"[^}]*} [1-9]");
        assertThat(text).contains("auditlog_records_failed_total{log=\"shop\"} 0.0");
        assertThat(text).containsPattern("auditlog_alerts_total\\{log=\"shop\",rule=\"login-burst\"} 1.0");
        assertThat(text).containsPattern("auditlog_sink_state\\{log=\"shop\",sink=\"[^\"]+\",state=\"ok\"} 1.0");
        assertThat(text).contains("auditlog_queue_depth{log=\"shop\"} 0.0");
        assertThat(text).contains("auditlog_checkpoint_age_seconds{log=\"shop\"}");
    }

    @Test
    @Order(8)
    void afterShutdownTheLogVerifies() throws Exception {
        app.close(); // graceful: flushes, then the log closes with a final checkpoint
        app = null;
        try (AuditReader reader = FileAuditSink.builder(dir.resolve("audit")).build().reader().orElseThrow()) {
            VerificationReport report = LogVerifier.builder(key.verifierKey())
                    .anchor(dev.auditlog.spi.CheckpointAnchor.directory(dir.resolve("anchor"))).build()
                    .verify(reader, dev.auditlog.spi.ChainIds.of("shop", dev.auditlog.spi.ChainIds.defaultInstanceId()));
            assertThat(report.isValid()).as(report.toString()).isTrue();
            assertThat(report.checkpoints()).isGreaterThanOrEqualTo(2);
            List<AuditEvent> events;
            try (Stream<SealedRecord> records = reader.read(dev.auditlog.spi.ChainIds.of("shop", dev.auditlog.spi.ChainIds.defaultInstanceId()), 0)) {
                events = records.map(SealedRecord::event).flatMap(Optional::stream).toList();
            }
            assertThat(events.get(events.size() - 1).action()).isEqualTo("audit.log.stopped");
            assertThat(events).filteredOn(e -> e.action().equals("audit.guard.locked")).singleElement()
                    .satisfies(e -> assertThat(e.attributes().get("key")).isEqualTo("actor:bob"));
            assertThat(events).filteredOn(e -> e.action().equals("authn_login_fail")
                    && e.actor().id().equals("bob")).hasSize(5)
                    .allSatisfy(e -> assertThat(e.outcome().status()).isEqualTo(OutcomeStatus.FAILURE));
        }
    }
}
