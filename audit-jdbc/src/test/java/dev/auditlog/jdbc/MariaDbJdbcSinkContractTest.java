package dev.auditlog.jdbc;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.tck.AuditSinkContractTest;
import org.junit.jupiter.api.AfterEach;

/** The sink contract on MariaDb; a fresh table prefix per test. */
class MariaDbJdbcSinkContractTest extends AuditSinkContractTest {
    
    private final String prefix = TestDatabase.uniquePrefix();
    private TestDatabase db;

    private TestDatabase db() {
        return db == null ? db = TestDatabase.mariadb() : db;
    }

    @Override protected AuditSink openSink() { return db().sink(prefix).build(); }
    @Override protected AuditReader openReader() { return db().reader(prefix).build(); }

    @AfterEach void dropTables() throws Exception { if (db != null) { db.drop(prefix); } }
}
