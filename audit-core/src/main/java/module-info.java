/**
 * auditlog core: the audit event model, the {@link dev.auditlog.AuditLog} pipeline that seals every
 * record into a hash chain, the sink and interceptor SPI, redaction, and the integrity primitives (Merkle trees,
 * signed checkpoints). Active protection (policy, detection rules, guard) is the separate {@code dev.auditlog.protect}.
 */
module dev.auditlog {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;

    exports dev.auditlog;
    exports dev.auditlog.spi;
    exports dev.auditlog.integrity;

    uses dev.auditlog.spi.AuditSinkProvider;
    uses dev.auditlog.spi.TraceContextProvider;
    provides dev.auditlog.spi.AuditSinkProvider with dev.auditlog.internal.MemorySinkProvider;
}
