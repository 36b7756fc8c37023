package dev.auditlog.bench;

import dev.auditlog.jdbc.Dialect;
import dev.auditlog.jdbc.JdbcSchema;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The databases of benchmark 5. {@code main} prints the reachable ones, comma-separated, for {@code -p db=...}:
 * run.sh and CI skip a dialect whose server is down that way.
 */
public final class Databases {
    private Databases() {
    }

    public static String url(String db) {
        return switch (db) {
            case "postgresql" -> "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&reWriteBatchedInserts=true";
            case "mariadb" -> "jdbc:mariadb://127.0.0.1:3306/test?user=root&useBulkStmts=true";
            case "h2" -> "jdbc:h2:file:" + Fixtures.dataDir("h2").resolve("db").toAbsolutePath();
            default -> throw new IllegalArgumentException("unknown db " + db);
        };
    }

    public static Dialect dialect(String db) {
        return switch (db) {
            case "postgresql" -> Dialect.POSTGRESQL;
            case "mariadb" -> Dialect.MARIADB;
            default -> Dialect.H2;
        };
    }

    /** Drops a benchmark prefix's tables (DROP is not blocked by the append-only triggers). */
    public static void drop(Connection c, String db, String prefix) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String t : List.of(JdbcSchema.recordsTable(prefix), JdbcSchema.checkpointsTable(prefix),
                    JdbcSchema.versionTable(prefix))) {
                s.execute("DROP TABLE IF EXISTS " + t + (db.equals("postgresql") ? " CASCADE" : ""));
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }

    public static void main(String[] args) {
        DriverManager.setLoginTimeout(3);
        List<String> up = new ArrayList<>();
        for (String db : List.of("postgresql", "mariadb")) {
            try (Connection c = DriverManager.getConnection(url(db))) {
                if (c.isValid(3)) {
                    up.add(db);
                }
            } catch (SQLException e) {
                System.err.println("skipping " + db + ": " + e.getMessage());
            }
        }
        up.add("h2");
        System.out.println(String.join(",", up));
    }
}
