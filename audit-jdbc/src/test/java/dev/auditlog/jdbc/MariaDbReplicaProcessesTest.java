package dev.auditlog.jdbc;

/** Replicas as separate JVMs on MariaDB (GET_LOCK). */
class MariaDbReplicaProcessesTest extends AbstractReplicaProcessesTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariadb();
    }
}
