/**
 * The sink technology compatibility kit: {@link dev.auditlog.tck.AuditSinkContractTest}, which every sink module
 * extends in a few lines, and fault-injecting sink doubles for pipeline tests.
 */
module dev.auditlog.tck {
    requires transitive dev.auditlog;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.auditlog.tck;
    opens dev.auditlog.tck to org.junit.platform.commons;
}
