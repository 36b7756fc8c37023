/**
 * The Jakarta Servlet integration: {@link dev.auditlog.servlet.AuditFilter} records requests on an
 * {@link dev.auditlog.AuditLog} and answers a guard's DENY before the application runs. No framework needed.
 */
package dev.auditlog.servlet;
