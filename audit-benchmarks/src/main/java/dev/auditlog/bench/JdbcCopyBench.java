package dev.auditlog.bench;

import dev.auditlog.jdbc.Dialect;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 5, the PostgreSQL ceiling: the same rows as {@link JdbcBench} through {@code COPY ... FROM STDIN (FORMAT
 * csv)} with the driver's {@link CopyManager}, one COPY and one commit per batch. Batches/s. Excluded by run.sh
 * when PostgreSQL is down.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JdbcCopyBench {
    static final String PREFIX = "bench_copy_";
    private static final HexFormat HEX = HexFormat.of();

    @Param({"1", "100", "1000"})
    public int batch;

    Connection c;
    CopyManager copy;
    String sql;
    String logId;
    RecordFactory factory;
    List<SealedRecord> next;
    long rows;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        c = DriverManager.getConnection(Databases.url("postgresql"));
        Databases.drop(c, "postgresql", PREFIX);
        try (Statement s = c.createStatement()) {
            for (String q : JdbcSchema.statements(Dialect.POSTGRESQL, PREFIX)) {
                s.execute(q);
            }
        }
        c.setAutoCommit(false);
        copy = c.unwrap(PGConnection.class).getCopyAPI();
        sql = "COPY " + JdbcSchema.recordsTable(PREFIX) + " (log_id, seq, record_type, line, leaf_hash, chain_hash, "
                + "event_id, occurred_at, sealed_at, action, category, actor_id, actor_type, target_type, target_id, "
                + "outcome, tenant_id, trace_id) FROM STDIN (FORMAT csv)";
        logId = "bench-" + System.nanoTime();
        factory = new RecordFactory(logId);
    }

    @Setup(Level.Invocation)
    public void nextBatch() {
        next = factory.next(batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + JdbcSchema.recordsTable(PREFIX)
                + " WHERE log_id = ?")) {
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Fixtures.check(rs.getLong(1) == rows && rows > 0, "COPY table holds " + rs.getLong(1) + " rows of "
                        + rows + " (batch " + batch + ")");
            }
        }
        c.commit();
        c.setAutoCommit(true);
        Databases.drop(c, "postgresql", PREFIX);
        c.close();
    }

    @Benchmark
    public long copyIn() throws Exception {
        String now = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
        StringBuilder sb = new StringBuilder(batch * 900);
        for (SealedRecord r : next) {
            sb.append(logId).append(',').append(r.sequence()).append(",event,\"")
                    .append(new String(r.line(), StandardCharsets.UTF_8).replace("\"", "\"\"")).append("\",")
                    .append("\\x").append(HEX.formatHex(r.leafHash())).append(',')
                    .append("\\x").append(HEX.formatHex(r.chainHash())).append(',')
                    .append(RecordFactory.eventId(r)).append(',').append(now).append(',').append(now)
                    .append(",authn_login_fail,AUTHENTICATION,").append(Fixtures.ACTOR).append(",USER,")
                    .append(Fixtures.TARGET_TYPE).append(',').append(Fixtures.TARGET_ID).append(",FAILURE,,\n");
        }
        long n = copy.copyIn(sql, new StringReader(sb.toString()));
        c.commit();
        rows += n;
        return n;
    }
}
