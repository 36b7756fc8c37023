package dev.auditlog.jdbc;

import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.jdbc.internal.JdbcAuditSinkProvider;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sink behaviour beyond the TCK, on H2. */
class JdbcAuditSinkTest {
    @TempDir
    Path dir;

    private TestDatabase db() {
        return TestDatabase.h2(dir);
    }

    private static List<SealedRecord> generate(String logId, int count) {
        MemorySink memory = new MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId(logId).sink(memory).shutdownHook(false).build()) {
            for (int i = 0; i < count; i++) {
                log.record(TckEvents.event(i));
            }
        }
        return memory.records(logId);
    }

    @Test
    void builderAndSpecValidation() {
        assertThatThrownBy(() -> JdbcAuditSink.builder("jdbc:h2:mem:x").tablePrefix("Audit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tablePrefix must match [a-z][a-z0-9_]{0,30}, was \"Audit\"");
        assertThatThrownBy(() -> JdbcAuditSink.builder("postgres://x")).hasMessageContaining("jdbc:<driver>:");
        assertThatThrownBy(() -> new JdbcAuditSinkProvider().create("jdbc:sqlite:x.db?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:, jdbc:mariadb: or jdbc:h2:")
                .hasMessageNotContaining("secret");
        assertThat(new JdbcAuditSinkProvider().scheme()).isEqualTo("jdbc");
        assertThatThrownBy(() -> new JdbcAuditSinkProvider().reader("jdbc:sqlite:x.db?password=secret"))
                .hasMessageContaining("jdbc:h2:").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new JdbcAuditSinkProvider().queryable("jdbc:sqlite:x.db?password=secret"))
                .hasMessageContaining("jdbc:h2:").hasMessageNotContaining("secret");
        assertThat(JdbcAuditSink.builder("jdbc:postgresql://u:pw@db:5432/app?password=pw").build().name())
                .isEqualTo("jdbc:postgresql://db:5432/app#audit_records");
    }

    @Test
    void withoutCreateSchemaOpenFailsUntilTheOwnerRanTheDdl() throws Exception {
        JdbcAuditSink sink = db().sink("ops_").createSchema(false).build();
        assertThatThrownBy(() -> sink.open("a")).isInstanceOf(IOException.class)
                .hasMessageContaining("not installed").hasMessageContaining("JdbcSchema.ddl(H2, \"ops_\")");
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            for (String sql : JdbcSchema.statements(Dialect.H2, "ops_")) {
                s.execute(sql);
            }
        }
        try (JdbcAuditSink ready = db().sink("ops_").createSchema(false).build()) {
            assertThat(ready.open("a")).isEmpty();
            assertThat(ready.dialect()).contains(Dialect.H2);
            ready.write(generate("a", 3));
        }
        assertThat(JdbcSchema.ddl(Dialect.POSTGRESQL, "audit_")).contains("CREATE TABLE IF NOT EXISTS audit_records")
                .contains("BEFORE TRUNCATE").contains("audit_records_actor");
        assertThat(JdbcSchema.ddl(Dialect.MARIADB, "audit_")).contains("SIGNAL SQLSTATE '45000'");
    }

    @Test
    void aRetryAfterAnUnknownCommitOutcomeIsRecognisedAsRedelivery() throws Exception {
        List<SealedRecord> records = generate("r", 20);
        try (JdbcAuditSink first = db().sink("audit_").build()) {
            first.open("r");
            // as if "first" had committed but never heard back: the rows are there, first does not know it
            try (Connection c = db().connect(); PreparedStatement ps = c.prepareStatement(Rows.insertSql("audit_"))) {
                for (SealedRecord r : records.subList(0, 10)) {
                    Rows.bind(ps, r, db().dialect());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            // first believes nothing is stored: the insert collides (an integrity error, so it goes on one record at
            // a time to find which), resyncs from the database and recognises each as an identical redelivery
            first.write(records.subList(0, 10));
            first.write(records.subList(0, 10));
            first.write(records.subList(5, 20));
            assertThatThrownBy(() -> first.write(records.subList(21, 22))).hasMessageContaining("gap");
            first.write(records.subList(20, 22));
        }
        try (JdbcAuditReader reader = db().reader("audit_").build()) {
            VerificationReport report = Verify.chain(reader, "r");
            assertThat(report.isValid()).isTrue();
            assertThat(report.records()).isEqualTo(records.size());
        }
    }

    @Test
    void aMalformedRowIsReportedAndVerificationGoesOn() throws Exception {
        List<SealedRecord> records = generate("m", 5);
        try (JdbcAuditSink sink = db().sink("audit_").build()) {
            sink.open("m");
            sink.write(records);
        }
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_records_append_only"); // what the database owner can do
            s.execute("UPDATE audit_records SET line = 'garbage' WHERE seq = 2");
        }
        try (JdbcAuditReader reader = db().reader("audit_").build()) {
            VerificationReport report = Verify.chain(reader, "m");
            assertThat(report.firstFinding().orElseThrow().kind()).isEqualTo(Finding.Kind.MALFORMED);
            assertThat(report.firstFinding().orElseThrow().sequence()).isEqualTo(2);
            assertThat(report.firstFinding().orElseThrow().location()).contains("seq=2").contains("audit_records");
            assertThatThrownBy(() -> reader.read("m", 0).toList()).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("seq=2");
            // reopening a sink on a log whose newest row is intact still works
            try (JdbcAuditSink sink = db().sink("audit_").build()) {
                assertThat(sink.open("m")).isPresent();
            }
        }
    }

    @Test
    void signedCheckpointsAlsoGoToTheCheckpointsTable() throws Exception {
        dev.auditlog.integrity.SigningKey key = dev.auditlog.integrity.Ed25519Keys.generate("auditlog/cp");
        try (AuditLog log = AuditLog.builder().singleChain().logId("cp").sink(db().sink("cpt_").build()).shutdownHook(false)
                .checkpoints(key).checkpointEvery(10, java.time.Duration.ofHours(1)).build()) {
            for (int i = 0; i < 35; i++) {
                log.record(TckEvents.event(i));
            }
        }
        List<SealedRecord> checkpoints;
        try (JdbcAuditReader reader = db().reader("cpt_").build();
             java.util.stream.Stream<SealedRecord> s = reader.read("cp", 0)) {
            checkpoints = s.filter(r -> r.type().equals("checkpoint")).toList();
        }
        assertThat(checkpoints).hasSizeGreaterThanOrEqualTo(4);
        try (Connection c = db().connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT size, note FROM cpt_checkpoints WHERE log_id = 'cp'"
                     + " ORDER BY size")) {
            for (SealedRecord cp : checkpoints) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(cp.sequence());
                assertThat(rs.getString(2)).isEqualTo(cp.checkpointNote().orElseThrow());
                assertThat(dev.auditlog.integrity.Checkpoint.verify(rs.getString(2), key.verifierKey()).size())
                        .isEqualTo(cp.sequence());
            }
            assertThat(rs.next()).isFalse();
        }
        try (JdbcAuditReader reader = db().reader("cpt_").build()) {
            VerificationReport report = LogVerifier.builder(key.verifierKey()).build().verify(reader, "cp");
            assertThat(report.findings()).isEmpty();
            assertThat(report.checkpoints()).isEqualTo(checkpoints.size());
            assertThat(report.lastCheckpointSize()).isEqualTo(checkpoints.get(checkpoints.size() - 1).sequence());

            VerificationReport wrongKey = LogVerifier.builder(
                    dev.auditlog.integrity.Ed25519Keys.generate("auditlog/cp").verifierKey()).build().verify(reader, "cp");
            assertThat(wrongKey.isValid()).isFalse();
            assertThat(wrongKey.firstFinding().orElseThrow().kind()).isEqualTo(Finding.Kind.CHECKPOINT_INVALID);
        }
    }

    @Test
    void theProviderOffersAReaderAndAuditedQueriesForTheSameUrl() throws Exception {
        String url = db().url();
        try (AuditLog log = AuditLog.builder().singleChain().logId("pq").sink(url).shutdownHook(false).build()) {
            log.record(TckEvents.event(1)).await();
        }
        JdbcAuditSinkProvider p = new JdbcAuditSinkProvider();
        try (dev.auditlog.spi.AuditReader reader = p.reader(url).orElseThrow()) {
            assertThat(reader.chainIds()).contains("pq");
        }
        MemorySink reads = new MemorySink();
        try (AuditLog readLog = AuditLog.builder().singleChain().logId("reads").sink(reads).shutdownHook(false).build()) {
            dev.auditlog.AuditQueryable q = p.queryable(url).orElseThrow().apply(readLog);
            dev.auditlog.AuditPage page = q.query(dev.auditlog.AuditQuery.builder().logId("pq").build(), "tester");
            assertThat(page.records()).extracting(r -> r.event().orElseThrow().action())
                    .contains(TckEvents.event(1).action(), "audit.log.started");
        }
        assertThat(reads.records("reads")).anySatisfy(r -> assertThat(r.event()).hasValueSatisfying(
                e -> assertThat(e.action()).isEqualTo(JdbcAuditReader.READ_ACTION)));
    }
}
