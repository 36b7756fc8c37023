package dev.auditlog.kafka;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The machine's PostgreSQL as a central store, in a schema of its own per test (dropped afterwards), as audit-jdbc's
 * tests use it: required under {@code CI=true}, skipped with a message otherwise when the server cannot be reached.
 * The URL can be overridden with {@code AUDITLOG_PG_URL}.
 */
final class CentralPostgres implements AutoCloseable {
    static final String URL = env("AUDITLOG_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String schema;

    private CentralPostgres(String schema) {
        this.schema = schema;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A fresh schema; aborts (fails under CI=true) the calling test when the server is unreachable. */
    static CentralPostgres open() throws SQLException {
        String problem;
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(URL)) {
            problem = c.isValid(5) ? "" : "connection not valid";
        } catch (SQLException e) {
            problem = String.valueOf(e.getMessage());
        }
        String where = URL.replaceAll("\\?.*", "").replaceFirst("^jdbc:postgresql://", "");
        if (!problem.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("PostgreSQL not reachable at " + where + " (" + problem + "): CI=true, so the"
                        + " collector's PostgreSQL test must run; start the server (.ci/run does) or point"
                        + " AUDITLOG_PG_URL at one");
            }
            Assumptions.abort("PostgreSQL not reachable at " + where + ": the collector's PostgreSQL test is skipped"
                    + " (set CI=true to require it)");
        }
        String schema = "kafka_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return new CentralPostgres(schema);
    }

    /** The store spec: the server's URL with this schema as the current one. */
    String spec() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema (the append-only triggers stop DELETE and UPDATE, not DROP). */
    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '10s'");
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
