/**
 * The auditlog API: build an {@link dev.auditlog.AuditEvent}, hand it to {@link dev.auditlog.AuditLog#record},
 * and get back an {@link dev.auditlog.AuditReceipt} that completes when the sealed record is durable.
 */
package dev.auditlog;
