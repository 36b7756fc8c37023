package dev.auditlog.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.CRC32;

/**
 * Checks the schema version on open and, when allowed, applies the DDL under a database lock, so that several
 * nodes opening at once do not race.
 */
final class SchemaInstaller {
    private static final Object H2_LOCK = new Object();

    private SchemaInstaller() {
    }

    /**
     * Makes sure the schema of {@code prefix} is at {@link JdbcSchema#VERSION}. Leaves the connection in
     * auto-commit mode off, with no transaction open.
     *
     * @throws IOException when the schema is missing or old and {@code create} is off, or is newer than supported
     */
    public static void ensure(Connection c, Dialect dialect, String prefix, boolean create, String where)
            throws SQLException, IOException {
        c.setAutoCommit(true);
        int version = readVersion(c, dialect, prefix);
        if (version == JdbcSchema.VERSION) {
            c.setAutoCommit(false);
            return;
        }
        checkNotNewer(version, prefix, where);
        if (!create) {
            c.setAutoCommit(false);
            throw new IOException("audit schema " + prefix + "* at " + where + " is "
                    + (version < 0 ? "not installed" : "at version " + version) + " and createSchema is off: have the "
                    + "owner role run JdbcSchema.ddl(" + dialect + ", \"" + prefix + "\") (version "
                    + JdbcSchema.VERSION + "), or enable createSchema");
        }
        switch (dialect) {
            case POSTGRESQL -> {
                c.setAutoCommit(false);
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, lockKey(prefix));
                    lock.execute();
                    apply(c, dialect, prefix, where);
                    c.commit();
                } catch (SQLException | IOException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
            case MARIADB -> {
                String name = "auditlog_schema_" + prefix;
                try (PreparedStatement lock = c.prepareStatement("SELECT GET_LOCK(?, 60)")) {
                    lock.setString(1, name);
                    try (ResultSet rs = lock.executeQuery()) {
                        if (!rs.next() || rs.getInt(1) != 1) {
                            throw new IOException("could not take the schema lock " + name + " at " + where
                                    + " within 60 s");
                        }
                    }
                }
                try {
                    apply(c, dialect, prefix, where);
                } finally {
                    try (PreparedStatement unlock = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                        unlock.setString(1, name);
                        unlock.execute();
                    }
                }
            }
            case H2 -> {
                synchronized (H2_LOCK) { // embedded: only this JVM opens the file
                    apply(c, dialect, prefix, where);
                }
            }
        }
        c.setAutoCommit(false);
    }

    private static void apply(Connection c, Dialect dialect, String prefix, String where)
            throws SQLException, IOException {
        try (Statement s = c.createStatement()) {
            s.execute(JdbcSchema.statements(dialect, prefix).get(0)); // the version table
        }
        int version = readVersion(c, dialect, prefix);
        if (version == JdbcSchema.VERSION) {
            return; // another node got there first
        }
        checkNotNewer(version, prefix, where);
        for (String sql : JdbcSchema.statements(dialect, prefix)) {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("applying the audit schema at " + where + " failed on: "
                        + sql.lines().findFirst().orElse(sql) + " ...: " + e.getMessage(), e.getSQLState(), e);
            }
        }
    }

    private static void checkNotNewer(int version, String prefix, String where) throws IOException {
        if (version > JdbcSchema.VERSION) {
            throw new IOException("audit schema " + prefix + "* at " + where + " is at version " + version
                    + ", newer than this library supports (" + JdbcSchema.VERSION + "): upgrade auditlog");
        }
    }

    /** The schema version, or -1 when the version table is missing or empty. */
    private static int readVersion(Connection c, Dialect dialect, String prefix) throws SQLException {
        String table = JdbcSchema.versionTable(prefix);
        String exists = switch (dialect) {
            case POSTGRESQL -> "SELECT to_regclass(?) IS NOT NULL";
            case MARIADB -> "SELECT COUNT(*) > 0 FROM information_schema.tables WHERE table_schema = DATABASE()"
                    + " AND table_name = ?";
            case H2 -> "SELECT COUNT(*) > 0 FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA"
                    + " AND table_name = UPPER(?)";
        };
        try (PreparedStatement ps = c.prepareStatement(exists)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return -1;
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + table)) {
            return rs.next() && rs.getObject(1) != null ? rs.getInt(1) : -1;
        }
    }

    private static long lockKey(String prefix) {
        CRC32 crc = new CRC32();
        crc.update(("auditlog:" + prefix).getBytes(StandardCharsets.UTF_8));
        return 0x61756469_00000000L | crc.getValue();
    }
}
