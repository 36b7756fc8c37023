package dev.auditlog.logback;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.MemorySink;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Redaction;
import dev.auditlog.SecretKeyAction;
import dev.auditlog.Severity;
import dev.auditlog.file.FileAuditReader;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Marked Logback statements become verified records; bad ones are counted, reported and recorded, never lost. */
class AuditAppenderTest {
    private static final Marker AUDIT = MarkerFactory.getMarker("AUDIT");
    private static final SigningKey KEY = Ed25519Keys.generate("logback-test");

    private final MemorySink sink = new MemorySink();
    private AuditLog log;
    private AuditAppender appender;
    private Logger logger;

    @BeforeEach
    void setUp() {
        log = AuditLog.builder().singleChain().logId("bridge").sink(sink).shutdownHook(false).checkpoints(KEY).build();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender = new AuditAppender();
        appender.setContext(context);
        appender.setAuditLog(log);
        appender.start();
        logger = context.getLogger("app.audit");
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(appender);
        appender.stop();
        log.close();
        MDC.clear();
    }

    private List<AuditEvent> events() {
        log.flush();
        return sink.records("bridge").stream().map(SealedRecord::event).flatMap(Optional::stream)
                .filter(e -> !e.action().startsWith("audit.")).toList();
    }

    @Test
    void aMarkedStatementWithKeyValuesBecomesAVerifiedTypedRecord() throws Exception {
        Instant before = Instant.now();
        logger.atWarn().addMarker(AUDIT)
                .addKeyValue("action", "document.read").addKeyValue("actor", "alice")
                .addKeyValue("category", "data_access").addKeyValue("outcome", "SUCCESS")
                .addKeyValue("target.type", "document").addKeyValue("target.id", "42")
                .addKeyValue("ip", "203.0.113.7").addKeyValue("pages", 3).addKeyValue("cached", true)
                .addKeyValue("format", "pdf")
                .log("alice read document {}", 42);
        logger.info("an ordinary statement: not audited");

        List<AuditEvent> events = events();
        assertThat(events).hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.action()).isEqualTo("document.read");
        assertThat(e.actor().id()).isEqualTo("alice");
        assertThat(e.actor().type()).isEqualTo(ActorType.USER);
        assertThat(e.category()).isEqualTo(Category.DATA_ACCESS);
        assertThat(e.severity()).as("from the level").isEqualTo(Severity.WARNING);
        assertThat(e.outcome().status()).isEqualTo(OutcomeStatus.SUCCESS);
        assertThat(e.targets()).singleElement().satisfies(t -> assertThat(t.id()).isEqualTo("42"));
        assertThat(e.origin().orElseThrow().ip()).contains("203.0.113.7");
        assertThat(e.message()).contains("alice read document 42");
        assertThat(e.attributes()).containsEntry("pages", 3L).containsEntry("cached", true)
                .containsEntry("format", "pdf").doesNotContainKeys("action", "actor", "target.id");
        assertThat(e.occurredAt().orElseThrow()).isAfterOrEqualTo(before.minusMillis(1));
        assertThat(appender.recorded()).isEqualTo(1);
        assertThat(appender.rejected()).isZero();

        log.close();
        VerificationReport report = LogVerifier.builder(KEY.verifierKey()).build()
                .verify(sink.reader().orElseThrow(), "bridge");
        assertThat(report.findings()).isEmpty();
        assertThat(report.checkpoints()).isPositive();
    }

    @Test
    void fieldsMayComeFromTheMdcAndKeyValuesWin() {
        MDC.put("actor", "svc-billing");
        MDC.put("actor.type", "service");
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("unrelated", "not copied");
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "invoice.send").log("sent");
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "invoice.void").addKeyValue("actor", "bob")
                .addKeyValue("outcome", "denied").addKeyValue("outcome.reason", "not_owner").log("refused");

        List<AuditEvent> events = events();
        assertThat(events.get(0).actor().id()).isEqualTo("svc-billing");
        assertThat(events.get(0).actor().type()).isEqualTo(ActorType.SERVICE);
        assertThat(events.get(0).outcome().status()).as("not given: unknown, never assumed")
                .isEqualTo(OutcomeStatus.UNKNOWN);
        assertThat(events.get(0).traceId()).contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(events.get(0).attributes()).doesNotContainKey("unrelated");
        assertThat(events.get(1).actor().id()).isEqualTo("bob");
        assertThat(events.get(1).outcome().status()).isEqualTo(OutcomeStatus.DENIED);
        assertThat(events.get(1).outcome().reasonCode()).contains("not_owner");
    }

    @Test
    void aBadStatementIsCountedReportedAndRecordedAsRejectedNeverDropped() {
        int statusesBefore = appender.getContext().getStatusManager().getCount();
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "document.read").log("no actor");
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "document.read").addKeyValue("actor", "a")
                .addKeyValue("outcome", "MAYBE").log("bad outcome");
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "Document Read").addKeyValue("actor", "a").log("x");
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "x.y").addKeyValue("actor", "a")
                .addKeyValue("target.id", "7").log("half a target");

        assertThat(appender.rejected()).isEqualTo(4);
        assertThat(appender.recorded()).isZero();
        List<AuditEvent> rejected = events();
        assertThat(rejected).hasSize(4).allSatisfy(e -> {
            assertThat(e.action()).isEqualTo(AuditAppender.REJECTED_ACTION);
            assertThat(e.outcome().status()).isEqualTo(OutcomeStatus.FAILURE);
            assertThat(e.attributes()).containsEntry("logger", "app.audit");
        });
        assertThat(rejected.get(0).attributes().get("error").toString()).contains("actor is required");
        assertThat(rejected.get(1).attributes().get("error").toString())
                .contains("outcome must be one of [SUCCESS, FAILURE, DENIED, PENDING, UNKNOWN], was \"MAYBE\"");
        assertThat(rejected.get(2).attributes().get("error").toString()).contains("action");
        assertThat(rejected.get(3).attributes().get("error").toString())
                .contains("target.type and target.id must be given together");
        List<Status> errors = appender.getContext().getStatusManager().getCopyOfStatusList()
                .subList(statusesBefore, appender.getContext().getStatusManager().getCount());
        assertThat(errors).filteredOn(s -> s.getLevel() == Status.ERROR).hasSize(4)
                .allSatisfy(s -> assertThat(s.getMessage()).contains("rejected"));
    }

    @Test
    void aSecretLookingAttributeIsRedactedByDefaultAndRejectedUnderReject() {
        logger.atInfo().addMarker(AUDIT).addKeyValue("action", "user.login").addKeyValue("actor", "a")
                .addKeyValue("password", "hunter2").log("a secret-looking attribute");
        AuditEvent redacted = events().get(0);
        assertThat(redacted.attributes()).containsEntry("password", Redaction.REDACTED);
        assertThat(redacted.toString()).doesNotContain("hunter2");

        MemorySink strictSink = new MemorySink();
        try (AuditLog strict = AuditLog.builder().singleChain().logId("strict").sink(strictSink).shutdownHook(false)
                .redaction(Redaction.builder().secretKeys(SecretKeyAction.REJECT).build()).build()) {
            AuditAppender a = new AuditAppender();
            a.setContext(appender.getContext());
            a.setAuditLog(strict);
            a.start();
            Logger l = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("app.strict");
            l.setAdditive(false);
            l.addAppender(a);
            l.atInfo().addMarker(AUDIT).addKeyValue("action", "user.login").addKeyValue("actor", "a")
                    .addKeyValue("password", "hunter2").log("rejected by the log");
            l.detachAppender(a);
            a.stop();
            assertThat(a.rejected()).isEqualTo(1);
        }
        List<AuditEvent> stored = strictSink.records("strict").stream().map(SealedRecord::event)
                .flatMap(Optional::stream).filter(e -> !e.action().startsWith("audit.")).toList();
        assertThat(stored).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(AuditAppender.REJECTED_ACTION);
            assertThat(e.attributes().get("error").toString()).contains("password").doesNotContain("hunter2");
        });
    }

    @Test
    void anAppenderConfiguredInXmlOpensAFileLogThatVerifiesWithThePublicKey(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("checkpoint.key");
        Ed25519Keys.writeSigningKey(keyFile, KEY);
        Path audit = dir.resolve("audit");
        String xml = "<configuration>"
                + "<appender name='AUDIT' class='dev.auditlog.logback.AuditAppender'>"
                + "<logId>xml</logId><sink>file:" + audit + "</sink>"
                + "<checkpointKeyFile>" + keyFile + "</checkpointKeyFile></appender>"
                + "<logger name='orders' level='INFO' additivity='false'><appender-ref ref='AUDIT'/></logger>"
                + "</configuration>";
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Logger orders = context.getLogger("orders");
        orders.atInfo().addMarker(AUDIT).addKeyValue("action", "order.create").addKeyValue("actor", "carol")
                .addKeyValue("outcome", "success").addKeyValue("target.type", "order").addKeyValue("target.id", "9")
                .log("order 9 created");
        AuditAppender xmlAppender = (AuditAppender) orders.getAppender("AUDIT");
        assertThat(xmlAppender).as("statuses: %s", context.getStatusManager().getCopyOfStatusList()).isNotNull();
        assertThat(xmlAppender.recorded()).as("statuses: %s", context.getStatusManager().getCopyOfStatusList())
                .isEqualTo(1);
        context.stop(); // stops the appender, which closes the log it opened

        try (FileAuditReader reader = FileAuditReader.open(audit)) {
            VerificationReport report = LogVerifier.builder(KEY.verifierKey()).build().verify(reader, dev.auditlog.spi.ChainIds.of("xml", dev.auditlog.spi.ChainIds.defaultInstanceId()));
            assertThat(report.findings()).isEmpty();
            assertThat(report.checkpoints()).isPositive();
            try (var records = reader.read(dev.auditlog.spi.ChainIds.of("xml", dev.auditlog.spi.ChainIds.defaultInstanceId()), 0)) {
                assertThat(records.map(SealedRecord::event).flatMap(Optional::stream).map(AuditEvent::action))
                        .contains("order.create");
            }
        }
    }

    @Test
    void aMisconfiguredAppenderDoesNotStartAndSaysWhy() {
        LoggerContext context = new LoggerContext();
        AuditAppender a = new AuditAppender();
        a.setContext(context);
        a.setLogId("x");
        a.start();
        assertThat(a.isStarted()).isFalse();
        assertThat(context.getStatusManager().getCopyOfStatusList()).anySatisfy(s ->
                assertThat(s.getMessage()).contains("needs <logId> and at least one <sink>"));
    }
}
