package dev.auditlog.jdbc;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.AuditQuery;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Triggers, many nodes and queries on PostgreSQL, plus TRUNCATE, tamper detection and query plans. */
class PostgresJdbcSinkTest extends AbstractJdbcSinkTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }

    /**
     * Large batches go in with COPY, small ones with INSERT: both must store exactly the same rows, whatever the
     * values hold (COPY's own escapes: backslash, tab, line breaks, a literal \\N; NULLs).
     */
    @Test
    void copyStoresExactlyWhatInsertStores() throws Exception {
        MemorySink memory = new MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId("copy").sink(memory).shutdownHook(false).build()) {
            // enough for COPY whether the URL has the driver rewrite batches into multi-row INSERTs or not
            for (int i = 0; i < JdbcAuditSink.COPY_FROM_REWRITTEN + 10; i++) {
                AuditEvent.Builder b = event(i).toBuilder().message("tab\there \\N back\\slash\nline\r\n\u2028 é 日本 🎉 \\x00 \"q\"");
                if (i % 7 == 0) {
                    b.actor(Actor.user("a\tb\\N")).traceId("t\\x00"); // COPY escapes in indexed columns too
                }
                log.record(b.build());
            }
        }
        List<SealedRecord> records = memory.records("copy");
        assertThat(records.size()).isGreaterThan(JdbcAuditSink.COPY_FROM_REWRITTEN);
        String other = prefix + "i_";
        JdbcAuditSink copy = db().sink(prefix).build();
        JdbcAuditSink insert = db().sink(other).build();
        try {
            copy.open("copy");
            copy.write(records); // one batch: COPY
            insert.open("copy");
            for (SealedRecord r : records) {
                insert.write(List.of(r)); // batches of one: INSERT
            }
            // Redelivery after COPY is still compared byte for byte and ignored.
            copy.write(records.subList(0, 20));
            List<List<String>> copied = rows(prefix);
            assertThat(copied).hasSize(records.size());
            assertThat(copied).isEqualTo(rows(other));
            assertThat(copied.get(1).get(3)).isEqualTo(new String(records.get(1).line(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(copied.get(5).get(13)).as("event 4 has no target: NULL").isNull();
            assertThat(copied.get(1).get(11)).isEqualTo("a\tb\\N");
        } finally {
            copy.close();
            insert.close();
            db().drop(other);
        }
    }

    /** Every column the sink writes, as text, row by row. */
    private List<List<String>> rows(String tablePrefix) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = db().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + Rows.COLUMNS + " FROM " + tablePrefix
                     + "records WHERE log_id = 'copy' ORDER BY seq")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Whether the sink sees pgjdbc's batch rewrite decides where COPY starts: it must read the URL's setting. */
    @Test
    void theSinkSeesWhetherPgjdbcRewritesBatches() throws Exception {
        String url = db().url();
        boolean named = url.contains("reWriteBatchedInserts=");
        String off = named ? url.replaceAll("reWriteBatchedInserts=\\w+", "reWriteBatchedInserts=false") : url;
        String on = named ? url.replaceAll("reWriteBatchedInserts=\\w+", "reWriteBatchedInserts=true")
                : url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        try (Connection rewriting = java.sql.DriverManager.getConnection(on);
             Connection plain = java.sql.DriverManager.getConnection(off)) {
            assertThat(PgCopy.rewritesBatches(rewriting)).isTrue();
            assertThat(PgCopy.rewritesBatches(plain)).isFalse();
        }
    }

    @Test
    void truncateIsRejected() throws Exception {
        populate("tr", 3);
        try (Connection c = db().connect()) {
            assertRejected(c, "TRUNCATE " + prefix + "records");
            assertRejected(c, "TRUNCATE " + prefix + "checkpoints");
        }
    }

    @Test
    void aRowEditedBehindDisabledTriggersIsFoundByTheVerifier() throws Exception {
        List<SealedRecord> all = populate("tamper", 20);
        String table = prefix + "records";
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table + " DISABLE TRIGGER ALL"); // what a superuser can do
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                    + " SET line = replace(line, '\"user-', '\"usex-') WHERE log_id = 'tamper' AND seq = 7")) {
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            s.execute("ALTER TABLE " + table + " ENABLE TRIGGER ALL");
        }
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            ChainVerifier verifier = ChainVerifier.fromGenesis("tamper");
            try (Stream<SealedRecord> records = reader.read("tamper", 0)) {
                records.forEach(verifier::accept);
            }
            VerificationReport report = verifier.finish();
            assertThat(report.records()).isEqualTo(all.size());
            assertThat(report.findings()).hasSize(1);
            Finding f = report.firstFinding().orElseThrow();
            assertThat(f.kind()).isEqualTo(Finding.Kind.CHAIN_MISMATCH);
            assertThat(f.sequence()).isEqualTo(7);
            assertThat(Verify.chain(reader, "tamper").firstFinding()).contains(f);
        }
    }

    @Test
    void actorAndTargetQueriesUseTheirIndexesOn120000Rows() throws Exception {
        try (JdbcAuditSink sink = db().sink(prefix).build()) {
            sink.open("bulk"); // installs the schema
        }
        String table = prefix + "records";
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + table + " (log_id, seq, record_type, line, leaf_hash, chain_hash, event_id, "
                    + "occurred_at, sealed_at, action, category, actor_id, actor_type, target_type, target_id, "
                    + "outcome, tenant_id, trace_id) "
                    + "SELECT 'bulk', i, 'event', 'line ' || i, sha256(int8send(i)), sha256(int8send(-i)), "
                    + "'e-' || i, timestamptz '2026-01-01' + i * interval '1 minute', "
                    + "timestamptz '2026-01-01' + i * interval '1 minute', "
                    + "(array['document.read','document.update','authn_login_fail'])[1 + i % 3], 'DATA_ACCESS', "
                    + "'user-' || (i % 1000), 'USER', 'document', 'doc-' || (i % 5000), 'SUCCESS', 't', 'tr-' || i "
                    + "FROM generate_series(0, 119999) AS i");
            s.execute("ANALYZE " + table);
        }
        AuditQuery actor = AuditQuery.builder().logId("bulk").actorId("user-42")
                .from(AbstractJdbcSinkTest.BASE.minus(Duration.ofDays(100)))
                .to(AbstractJdbcSinkTest.BASE.minus(Duration.ofDays(40))).build();
        AuditQuery target = AuditQuery.builder().logId("bulk").target("document", "doc-4242")
                .from(AbstractJdbcSinkTest.BASE.minus(Duration.ofDays(100))).build();
        AuditQuery page2 = target.toBuilder().pageToken(target.tokenAfter(4242)).build();
        assertThat(plan(actor)).contains(prefix + "records_actor").doesNotContain("Seq Scan");
        assertThat(plan(target)).contains(prefix + "records_target").doesNotContain("Seq Scan");
        assertThat(plan(page2)).contains(prefix + "records_target").doesNotContain("Seq Scan");
    }

    @Test
    void aWriterWithInsertAndSelectOnlyCanAppendButNotChangeOrInstall() throws Exception {
        String role = prefix + "writer";
        try (Connection c = db().connect(); Statement s = c.createStatement()) {
            for (String sql : JdbcSchema.statements(Dialect.POSTGRESQL, prefix)) { // as the owner
                s.execute(sql);
            }
            s.execute("CREATE ROLE " + role + " LOGIN");
            s.execute("GRANT SELECT, INSERT ON " + prefix + "records, " + prefix + "checkpoints TO " + role);
            s.execute("GRANT SELECT, INSERT, UPDATE ON " + prefix + "chains TO " + role);
            s.execute("GRANT SELECT ON " + prefix + "schema_version TO " + role);
        }
        String url = TestDatabase.PG_URL.replace("user=postgres", "user=" + role);
        try {
            try (AuditLog log = AuditLog.builder().singleChain().logId("lp").shutdownHook(false)
                    .sink(JdbcAuditSink.builder(url).tablePrefix(prefix).createSchema(false).build()).build()) {
                log.record(event(1));
            }
            try (Connection c = java.sql.DriverManager.getConnection(url)) {
                for (String sql : List.of("UPDATE " + prefix + "records SET line = 'x'", "DELETE FROM " + prefix
                        + "records", "TRUNCATE " + prefix + "records", "DROP TABLE " + prefix + "records",
                        "ALTER TABLE " + prefix + "records DISABLE TRIGGER ALL")) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                        try (Statement s = c.createStatement()) {
                            s.execute(sql);
                        }
                    }).as(sql).isInstanceOf(java.sql.SQLException.class);
                }
            }
            try (JdbcAuditReader reader = JdbcAuditReader.builder(url).tablePrefix(prefix).build()) {
                assertThat(Verify.chain(reader, "lp").isValid()).isTrue();
                assertThat(Verify.chain(reader, "lp").records()).isEqualTo(3);
            }
        } finally {
            try (Connection c = db().connect(); Statement s = c.createStatement()) {
                s.execute("DROP OWNED BY " + role);
                s.execute("DROP ROLE " + role);
            }
        }
    }

    private String plan(AuditQuery query) throws Exception {
        try (JdbcAuditReader reader = db().reader(prefix).dialect(Dialect.POSTGRESQL).build();
             Connection c = db().connect()) {
            JdbcAuditReader.Sql sql = reader.sql(query);
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql.text())) {
                reader.bind(ps, sql.params());
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
                String plan = String.join("\n", lines);
                assertThat(plan).containsAnyOf("Index Scan", "Bitmap Index Scan", "Index Only Scan");
                return plan;
            }
        }
    }
}
