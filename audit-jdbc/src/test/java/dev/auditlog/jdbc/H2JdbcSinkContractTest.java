package dev.auditlog.jdbc;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.tck.AuditSinkContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/** The sink contract on H2; a fresh table prefix per test. */
class H2JdbcSinkContractTest extends AuditSinkContractTest {
    @TempDir
    Path dir;
    private final String prefix = TestDatabase.uniquePrefix();
    private TestDatabase db;

    private TestDatabase db() {
        return db == null ? db = TestDatabase.h2(dir) : db;
    }

    @Override protected AuditSink openSink() { return db().sink(prefix).build(); }
    @Override protected AuditReader openReader() { return db().reader(prefix).build(); }

    @AfterEach void dropTables() throws Exception { if (db != null) { db.drop(prefix); } }
}
