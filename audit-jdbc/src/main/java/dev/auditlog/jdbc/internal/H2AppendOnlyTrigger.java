package dev.auditlog.jdbc.internal;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The H2 trigger that keeps the audit tables append-only: it rejects every UPDATE and DELETE, except the DELETE of a
 * record that a row of the retention table covers (docs/DATABASE.md, "Retention"). H2 instantiates it by name (see
 * {@code JdbcSchema}); it is loaded only when the dialect is H2.
 */
public final class H2AppendOnlyTrigger implements Trigger {
    private String table;
    private String operation;
    private String schema;

    /** For H2. */
    public H2AppendOnlyTrigger() {
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                     int type) {
        this.table = tableName;
        this.schema = schemaName;
        this.operation = (type & Trigger.UPDATE) != 0 && (type & Trigger.DELETE) != 0 ? "UPDATE or DELETE"
                : (type & Trigger.UPDATE) != 0 ? "UPDATE" : "DELETE";
    }

    /** Whether a retention row allows removing this record: columns 0 and 1 are log_id and seq. */
    private boolean covered(Connection conn, Object[] row) throws SQLException {
        String retention = "\"" + schema + "\".\"" + table.substring(0, table.length() - "RECORDS".length())
                + "RETENTION\"";
        try (java.sql.PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM " + retention
                + " WHERE LOG_ID = ? AND FIRST_SEQ > ?")) {
            ps.setString(1, (String) row[0]);
            ps.setLong(2, ((Number) row[1]).longValue());
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        String op = newRow != null ? "UPDATE" : oldRow != null ? "DELETE" : operation;
        if ("DELETE".equals(op) && table.toUpperCase(java.util.Locale.ROOT).endsWith("RECORDS") && covered(conn, oldRow)) {
            return;
        }
        throw new SQLException("auditlog: " + op + " on " + table + " rejected: audit tables are append-only",
                "42501");
    }
}
