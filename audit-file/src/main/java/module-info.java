/**
 * The file sink: sealed audit records in append-only, segmented JSON Lines files, with a single-writer lock,
 * configurable durability, crash recovery (torn tails are quarantined, never silently dropped) and a reader for
 * verification. See {@code audit-file/README.md} and {@code docs/FILE-FORMAT.md}.
 */
module dev.auditlog.file {
    // transitive: the public API (FileAuditSink, FileAuditReader) exposes core types (AuditSink, SealedRecord, ...)
    requires transitive dev.auditlog;

    exports dev.auditlog.file;

    provides dev.auditlog.spi.AuditSinkProvider with dev.auditlog.file.internal.FileAuditSinkProvider;
}
