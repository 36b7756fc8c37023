package dev.auditlog.jdbc;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A database for the tests: H2 in a temporary directory (always there), or the PostgreSQL and MariaDB servers of
 * the machine. Server tests are skipped with a message when the server is unreachable, except with {@code CI=true},
 * where they fail. URLs can be overridden with {@code AUDITLOG_PG_URL} and {@code AUDITLOG_MARIADB_URL} (point one
 * at a closed port to see the skips, and their summary, without stopping a server).
 */
record TestDatabase(Dialect dialect, String url) {

    static final String PG_URL = env("AUDITLOG_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&reWriteBatchedInserts=true");
    static final String MARIADB_URL = env("AUDITLOG_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test?user=root&useBulkStmts=true");

    private static final Map<String, String> UNREACHABLE = new ConcurrentHashMap<>();

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static TestDatabase postgres() {
        return server(Dialect.POSTGRESQL, PG_URL, "PostgreSQL");
    }

    static TestDatabase mariadb() {
        return server(Dialect.MARIADB, MARIADB_URL, "MariaDB");
    }

    static TestDatabase h2(Path dir) {
        return new TestDatabase(Dialect.H2, "jdbc:h2:file:" + dir.resolve("audit").toAbsolutePath());
    }

    /**
     * Skips (or, under CI=true, fails) the calling test when the server cannot be reached. The skip message is the
     * reason {@link SkipSummaryListener} counts and prints at the end of the run.
     */
    private static TestDatabase server(Dialect dialect, String url, String product) {
        String problem = UNREACHABLE.computeIfAbsent(url, u -> {
            DriverManager.setLoginTimeout(5);
            try (Connection c = DriverManager.getConnection(u)) {
                return c.isValid(5) ? "" : "connection not valid";
            } catch (SQLException e) {
                return String.valueOf(e.getMessage());
            }
        });
        if (!problem.isEmpty()) {
            String where = product + " not reachable at " + where(url);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(where + " (" + problem + "): CI=true, so the database tests must run; start the server"
                        + " (.ci/run does) or point " + (dialect == Dialect.POSTGRESQL ? "AUDITLOG_PG_URL"
                                : "AUDITLOG_MARIADB_URL") + " at one");
            }
            Assumptions.abort(where + ": " + firstSentence(problem) + " (set CI=true to require it)");
        }
        return new TestDatabase(dialect, url);
    }

    /** {@code host:port/database} of a JDBC URL: no scheme, no parameters (they may hold credentials). */
    static String where(String url) {
        return url.replaceAll("\\?.*", "").replaceFirst("^jdbc:[a-z]+://", "");
    }

    private static String firstSentence(String message) {
        String s = message.strip();
        int end = s.indexOf(". ");
        s = end > 0 ? s.substring(0, end) : s;
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** A table prefix no other test run uses. */
    static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT) + "_";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    JdbcAuditSink.Builder sink(String prefix) {
        return JdbcAuditSink.builder(url).tablePrefix(prefix);
    }

    JdbcAuditReader.Builder reader(String prefix) {
        return JdbcAuditReader.builder(url).tablePrefix(prefix);
    }

    /** Drops a prefix's tables (the owner may; the triggers stop DELETE, not DROP). */
    void drop(String prefix) throws SQLException {
        if (dialect == Dialect.H2) {
            return; // the @TempDir goes away
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                s.execute("SET lock_timeout = '10s'");
                s.execute("DROP TABLE IF EXISTS " + prefix + "records, " + prefix + "checkpoints, " + prefix
                        + "retention, " + prefix + "schema_version, " + prefix + "chains CASCADE");
                s.execute("DROP FUNCTION IF EXISTS " + prefix + "reject_change()");
                s.execute("DROP FUNCTION IF EXISTS " + prefix + "guard_records()");
            } else {
                s.execute("DROP TABLE IF EXISTS " + prefix + "records, " + prefix + "checkpoints, " + prefix
                        + "retention, " + prefix + "schema_version, " + prefix + "chains");
            }
        }
    }
}
