/**
 * The service provider interfaces, and the record format they share.
 *
 * <ul>
 *   <li><b>Stores:</b> {@link dev.auditlog.spi.AuditSink} stores sealed records, {@link dev.auditlog.spi.AuditReader}
 *       reads them back (and walks them for the verifier through {@link dev.auditlog.spi.LogScan}),
 *       {@link dev.auditlog.integrity.LogPruner} applies retention, and {@link dev.auditlog.spi.AuditSinkProvider} makes
 *       them from URIs such as {@code file:./audit}, found through {@link java.util.ServiceLoader}. See
 *       {@code docs/WRITING-A-SINK.md}.</li>
 *   <li><b>Interceptors:</b> {@link dev.auditlog.spi.AuditInterceptor} runs before sealing (pass on, change, skip,
 *       veto an intent: an {@link dev.auditlog.spi.Interception}) and after it (observe), with an
 *       {@link dev.auditlog.spi.InterceptorContext}. See {@code docs/PROTECTION.md}.</li>
 *   <li><b>Anchors:</b> {@link dev.auditlog.spi.CheckpointAnchor} keeps signed checkpoints off the log.</li>
 *   <li><b>Trace context:</b> {@link dev.auditlog.spi.TraceContextProvider} tells the log the trace and span current
 *       on the calling thread (a {@link dev.auditlog.spi.TraceContext}), found through
 *       {@link java.util.ServiceLoader}; {@code audit-opentelemetry} is one.</li>
 *   <li><b>The record format</b> ({@code docs/FORMAT.md}): {@link dev.auditlog.spi.SealedRecord} (parse and read a
 *       record), {@link dev.auditlog.spi.RecordSealer} (seal payloads into a chain), {@link dev.auditlog.spi.ChainHash}
 *       and {@link dev.auditlog.spi.ChainHasher} (the leaf and chain hashes), {@link dev.auditlog.spi.EventCodec} (an
 *       event's JSON form), {@link dev.auditlog.spi.LogIds} (the log id rule), {@link dev.auditlog.spi.SafeText}
 *       (values safe to quote in messages). A sealed record comes only from {@code SealedRecord.parse} or a
 *       {@code RecordSealer}, so its hashes always match its bytes.</li>
 * </ul>
 *
 * <p>This package depends only on the API package {@code dev.auditlog}; the engine ({@code dev.auditlog.internal})
 * and the verifier ({@code dev.auditlog.integrity}) depend on it, never the other way round.
 */
package dev.auditlog.spi;
