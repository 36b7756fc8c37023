/**
 * The sink SPI: {@link dev.auditlog.spi.AuditSink} stores sealed records, {@link dev.auditlog.spi.AuditReader}
 * reads them back, {@link dev.auditlog.spi.AuditSinkProvider} creates sinks from spec strings through
 * {@link java.util.ServiceLoader}. See {@code docs/WRITING-A-SINK.md}.
 */
package dev.auditlog.spi;
