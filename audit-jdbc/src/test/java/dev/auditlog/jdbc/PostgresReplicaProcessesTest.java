package dev.auditlog.jdbc;

/** Replicas as separate JVMs on PostgreSQL (advisory locks). */
class PostgresReplicaProcessesTest extends AbstractReplicaProcessesTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
