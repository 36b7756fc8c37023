package dev.auditlog.jdbc;

/** Triggers, many nodes and queries on MariaDB. */
class MariaDbJdbcSinkTest extends AbstractJdbcSinkTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariadb();
    }
}
