package dev.auditlog.bench;

import dev.auditlog.jdbc.Dialect;
import dev.auditlog.jdbc.JdbcAuditSink;
import dev.auditlog.jdbc.JdbcSchema;
import dev.auditlog.spi.SealedRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 5: rows/s into the records table. One invocation writes one batch of {@code batch} records and commits;
 * scores are batches/s (run.sh multiplies by the batch size). {@link #jdbcAuditSink} is {@code JdbcAuditSink.write};
 * {@link #handWrittenBatch} is what an application would write by hand: the same table (same DDL, indexes and
 * triggers, another prefix), one {@code PreparedStatement}, {@code addBatch}/{@code executeBatch}, commit, binding
 * the values it already has. Same URL for both (PostgreSQL with {@code reWriteBatchedInserts=true}, MariaDB with
 * {@code useBulkStmts=true}). Records are generated outside the measurement ({@code Level.Invocation} setup).
 * Pass only reachable servers in {@code -p db=} (run.sh asks {@link Databases#main}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JdbcBench {
    static final String LIB = "bench_lib_";
    static final String RAW = "bench_raw_";

    static final String INSERT = "INSERT INTO %s (log_id, seq, record_type, line, leaf_hash, chain_hash, event_id, "
            + "occurred_at, sealed_at, action, category, actor_id, actor_type, target_type, target_id, outcome, "
            + "tenant_id, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @State(Scope.Benchmark)
    public abstract static class Base {
        @Param({"postgresql", "mariadb", "h2"})
        public String db;

        @Param({"1", "100", "1000"})
        public int batch;

        String url;
        String logId;
        RecordFactory factory;
        List<SealedRecord> next;
        long rows;

        void init() {
            url = Databases.url(db);
            logId = "bench-" + System.nanoTime();
            factory = new RecordFactory(logId);
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            next = factory.next(batch);
        }

        void checkRows(Connection c, String prefix) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + JdbcSchema.recordsTable(prefix)
                    + " WHERE log_id = ?")) {
                ps.setString(1, logId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long n = rs.getLong(1);
                    Fixtures.check(n == rows && rows > 0, db + " " + prefix + "records holds " + n + " rows of "
                            + rows + " written (batch " + batch + ")");
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    public static class Lib extends Base {
        JdbcAuditSink sink;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            init();
            try (Connection c = DriverManager.getConnection(url)) {
                Databases.drop(c, db, LIB);
            }
            sink = JdbcAuditSink.builder(url).tablePrefix(LIB).build();
            Fixtures.check(sink.open(logId).isEmpty(), db + " sink opened on a new table");
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            sink.close();
            try (Connection c = DriverManager.getConnection(url)) {
                checkRows(c, LIB);
                Databases.drop(c, db, LIB);
            }
        }
    }

    public static class Raw extends Base {
        Connection c;
        PreparedStatement ps;
        Dialect dialect;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            init();
            dialect = Databases.dialect(db);
            c = DriverManager.getConnection(url);
            Databases.drop(c, db, RAW);
            try (Statement s = c.createStatement()) {
                for (String sql : JdbcSchema.statements(dialect, RAW)) {
                    s.execute(sql);
                }
            }
            c.setAutoCommit(false);
            ps = c.prepareStatement(String.format(INSERT, JdbcSchema.recordsTable(RAW)));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            ps.close();
            checkRows(c, RAW);
            c.setAutoCommit(true);
            Databases.drop(c, db, RAW);
            c.close();
        }

        void time(int index, Instant t) throws SQLException {
            Instant micros = t.truncatedTo(ChronoUnit.MICROS);
            if (dialect == Dialect.MARIADB) {
                ps.setObject(index, LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
            } else {
                ps.setObject(index, OffsetDateTime.ofInstant(micros, ZoneOffset.UTC));
            }
        }
    }

    @Benchmark
    public void jdbcAuditSink(Lib s) throws Exception {
        s.sink.write(s.next);
        s.rows += s.next.size();
    }

    @Benchmark
    public void handWrittenBatch(Raw s) throws Exception {
        PreparedStatement ps = s.ps;
        Instant now = Instant.now();
        for (SealedRecord r : s.next) {
            ps.setString(1, s.logId);
            ps.setLong(2, r.sequence());
            ps.setString(3, "event");
            ps.setString(4, new String(r.line(), StandardCharsets.UTF_8));
            ps.setBytes(5, r.leafHash());
            ps.setBytes(6, r.chainHash());
            ps.setString(7, RecordFactory.eventId(r));
            s.time(8, now);
            s.time(9, now);
            ps.setString(10, "authn_login_fail");
            ps.setString(11, "AUTHENTICATION");
            ps.setString(12, Fixtures.ACTOR);
            ps.setString(13, "USER");
            ps.setString(14, Fixtures.TARGET_TYPE);
            ps.setString(15, Fixtures.TARGET_ID);
            ps.setString(16, "FAILURE");
            ps.setNull(17, Types.VARCHAR);
            ps.setNull(18, Types.VARCHAR);
            ps.addBatch();
        }
        ps.executeBatch();
        s.c.commit();
        s.rows += s.next.size();
    }
}
