package dev.auditlog.jdbc;

import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration fails when the log starts, with a clear message, never at the first record. */
class BadStartTest {
    @TempDir
    Path dir;

    private static AuditLog.Builder log(JdbcAuditSink sink) {
        return AuditLog.builder().singleChain().logId("bad").sink(sink).shutdownHook(false);
    }

    @Test
    void anUnknownDatabaseFailsAtStart() {
        TestDatabase.postgres();
        JdbcAuditSink sink = JdbcAuditSink.builder(
                "jdbc:postgresql://127.0.0.1:5432/no_such_database_xyz?user=postgres").build();
        assertThatThrownBy(() -> log(sink).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining("no_such_database_xyz");
    }

    @Test
    void aTableWithTheWrongShapeFailsAtStart() throws Exception {
        TestDatabase db = TestDatabase.h2(dir);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shape_records (id INT PRIMARY KEY, note VARCHAR(10))");
        }
        assertThatThrownBy(() -> log(db.sink("shape_").build()).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining("shape_records");
    }

    @Test
    void aReadOnlyConnectionFailsAtStart() throws Exception {
        TestDatabase db = TestDatabase.h2(dir);
        try (AuditLog ok = log(db.sink("ro_").build()).build()) {
            ok.flush(); // the schema exists and the log has records
        }
        JdbcAuditSink readOnly = JdbcAuditSink.builder(db.url() + ";ACCESS_MODE_DATA=r").tablePrefix("ro_").build();
        assertThatThrownBy(() -> log(readOnly).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining("may not insert");
    }

    @Test
    void aUserWithoutInsertFailsAtStartOnPostgres() throws Exception {
        TestDatabase db = TestDatabase.postgres();
        String prefix = TestDatabase.uniquePrefix();
        String role = prefix + "reader";
        try {
            try (AuditLog ok = log(db.sink(prefix).build()).build()) {
                ok.flush();
            }
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + role + " LOGIN");
                s.execute("GRANT SELECT ON " + prefix + "records, " + prefix + "schema_version TO " + role);
            }
            JdbcAuditSink sink = JdbcAuditSink.builder("jdbc:postgresql://127.0.0.1:5432/test?user=" + role)
                    .tablePrefix(prefix).createSchema(false).build();
            assertThatThrownBy(() -> log(sink).build()).isInstanceOf(AuditException.class)
                    .hasMessageContaining("may not insert").hasMessageContaining("INSERT and SELECT");
        } finally {
            db.drop(prefix);
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void aClosedDataSourceFailsAtStart() {
        DataSource closed = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        throw new SQLException("HikariDataSource (pool-1) has been closed.");
                    }
                    if (method.getName().equals("getLogWriter")) {
                        return new PrintWriter(System.err);
                    }
                    if (method.getName().equals("toString")) {
                        return "closed-pool";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        JdbcAuditSink sink = JdbcAuditSink.builder(closed).dialect(Dialect.H2).build();
        assertThatThrownBy(() -> log(sink).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining("has been closed");
        assertThat(sink.name()).isNotBlank();
    }
}
