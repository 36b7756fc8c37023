/**
 * The JDBC sink: stores sealed audit records in PostgreSQL, MariaDB or H2 tables that the database itself keeps
 * append-only, reads them back, and answers audited queries. See {@code docs/DATABASE.md}.
 */
module dev.auditlog.jdbc {
    requires transitive java.sql;
    requires transitive dev.auditlog;
    requires static com.h2database;
    // The COPY path (PgCopy) when pgjdbc is there; without it the sink uses INSERT.
    requires static org.postgresql.jdbc;

    exports dev.auditlog.jdbc;
    // H2 instantiates its append-only trigger class reflectively; no other module may use the package.
    exports dev.auditlog.jdbc.internal to com.h2database;

    provides dev.auditlog.spi.AuditSinkProvider with dev.auditlog.jdbc.internal.JdbcAuditSinkProvider;
}
