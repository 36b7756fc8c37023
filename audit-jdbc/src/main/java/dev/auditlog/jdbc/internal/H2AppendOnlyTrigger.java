package dev.auditlog.jdbc.internal;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The H2 trigger that keeps the audit tables append-only: it rejects every UPDATE and DELETE. H2 instantiates it by
 * name (see {@code JdbcSchema}); it is loaded only when the dialect is H2.
 */
public final class H2AppendOnlyTrigger implements Trigger {
    private String table;
    private String operation;

    /** For H2. */
    public H2AppendOnlyTrigger() {
    }

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                     int type) {
        this.table = tableName;
        this.operation = (type & Trigger.UPDATE) != 0 && (type & Trigger.DELETE) != 0 ? "UPDATE or DELETE"
                : (type & Trigger.UPDATE) != 0 ? "UPDATE" : "DELETE";
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        String op = newRow != null ? "UPDATE" : oldRow != null ? "DELETE" : operation;
        throw new SQLException("auditlog: " + op + " on " + table + " rejected: audit tables are append-only",
                "42501");
    }
}
