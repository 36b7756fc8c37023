package dev.auditlog.jdbc;

import dev.auditlog.spi.LogPruner;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Retention for a database log (docs/DATABASE.md, "Retention"): in one transaction, a row in the retention table
 * names the retention record (already stored, docs/FORMAT.md section 11) and the first record it keeps, and the
 * records before it are deleted, which the append-only triggers allow only for rows such a retention row covers.
 * Uses its own connection, so it may run beside the sink's writes.
 */
final class JdbcRetention implements LogPruner {
    private final ConnectionSource source;
    private final String prefix;
    private final boolean createSchema;
    private final Dialect dialectOverride;

    JdbcRetention(ConnectionSource source, String prefix, boolean createSchema, Dialect dialectOverride) {
        this.source = source;
        this.prefix = prefix;
        this.createSchema = createSchema;
        this.dialectOverride = dialectOverride;
    }

    @Override
    public long cutPoint(String logId, long before) throws IOException {
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq), MAX(seq) FROM "
                    + JdbcSchema.recordsTable(prefix) + " WHERE log_id = ?")) {
                ps.setString(1, logId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getObject(1) == null) {
                        c.commit();
                        throw new IOException("no log \"" + logId + "\" in " + where());
                    }
                    long min = rs.getLong(1);
                    long max = rs.getLong(2);
                    c.commit();
                    return Math.max(min, Math.min(before, max)); // the last record always stays
                }
            }
        } catch (SQLException e) {
            throw new IOException("reading log " + logId + " from " + where() + " failed: "
                    + JdbcAuditSink.brief(e).getMessage(), e);
        }
    }

    @Override
    public void prune(String logId, SealedRecord statement) throws IOException {
        if (!SealedRecord.TYPE_RETENTION.equals(statement.type()) || !statement.logId().equals(logId)) {
            throw new IllegalArgumentException("statement must be a retention record of log " + logId + ", was "
                    + statement);
        }
        long first = Long.parseLong(statement.statementNote().orElseThrow().split("\n", 3)[1]);
        try (Connection c = connect()) {
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT line FROM " + JdbcSchema.recordsTable(prefix)
                        + " WHERE log_id = ? AND seq = ?")) {
                    ps.setString(1, logId);
                    ps.setLong(2, statement.sequence());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !statement.lineText().equals(rs.getString(1))) {
                            throw new IOException("the retention record " + statement.sequence() + " is not stored"
                                    + " in " + where() + " as sealed; nothing was deleted");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + JdbcSchema.retentionTable(prefix)
                        + " (log_id, first_seq, statement_seq) VALUES (?, ?, ?)")) {
                    ps.setString(1, logId);
                    ps.setLong(2, first);
                    ps.setLong(3, statement.sequence());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + JdbcSchema.recordsTable(prefix)
                        + " WHERE log_id = ? AND seq < ?")) {
                    ps.setString(1, logId);
                    ps.setLong(2, first);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IOException("pruning log " + logId + " in " + where() + " failed, nothing was deleted: "
                    + JdbcAuditSink.brief(e).getMessage(), e);
        }
    }

    private Connection connect() throws SQLException, IOException {
        Connection c = source.get();
        try {
            SchemaInstaller.ensure(c, source.dialect(c, dialectOverride), prefix, createSchema, source.name());
            c.setAutoCommit(false);
            return c;
        } catch (SQLException | IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private String where() {
        return source.name() + "#" + JdbcSchema.recordsTable(prefix);
    }
}
