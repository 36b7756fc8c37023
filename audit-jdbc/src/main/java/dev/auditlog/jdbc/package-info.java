/**
 * The JDBC sink: {@link dev.auditlog.jdbc.JdbcAuditSink} stores sealed records in append-only tables,
 * {@link dev.auditlog.jdbc.JdbcAuditReader} streams them back and answers audited
 * {@link dev.auditlog.AuditQuery queries}, {@link dev.auditlog.jdbc.JdbcSchema} gives the DDL per
 * {@link dev.auditlog.jdbc.Dialect}. See {@code docs/DATABASE.md}.
 */
package dev.auditlog.jdbc;
