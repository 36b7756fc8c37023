/**
 * The Logback bridge: {@link dev.auditlog.logback.AuditAppender} turns log statements carrying the {@code AUDIT}
 * marker into typed, sealed audit events.
 */
package dev.auditlog.logback;
