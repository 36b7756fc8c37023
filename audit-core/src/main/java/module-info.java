/**
 * auditlog core: the audit event model, the {@link dev.auditlog.AuditLog} pipeline that seals every
 * record into a hash chain, the sink SPI, and the integrity primitives (Merkle trees, signed checkpoints).
 */
module dev.auditlog {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;
    requires java.net.http;

    exports dev.auditlog;
    exports dev.auditlog.spi;
    exports dev.auditlog.integrity;
    exports dev.auditlog.protect;

    uses dev.auditlog.spi.AuditSinkProvider;
    provides dev.auditlog.spi.AuditSinkProvider with dev.auditlog.internal.MemorySinkProvider;
}
