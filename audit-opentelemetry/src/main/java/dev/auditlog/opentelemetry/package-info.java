/**
 * OpenTelemetry's current span as the source of audit records' trace and span ids:
 * {@link dev.auditlog.opentelemetry.OpenTelemetryTraceContext}, a {@link dev.auditlog.spi.TraceContextProvider}
 * found by {@link java.util.ServiceLoader}.
 */
package dev.auditlog.opentelemetry;
