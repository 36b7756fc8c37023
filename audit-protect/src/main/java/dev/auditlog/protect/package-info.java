/**
 * Active protection, installed in a log as one interceptor, {@link dev.auditlog.protect.Protection}: what to record
 * ({@link dev.auditlog.protect.RecordingPolicy}), what to flag as it happens
 * ({@link dev.auditlog.protect.DetectionRule}, {@link dev.auditlog.protect.Rules}, {@link dev.auditlog.protect.Alert})
 * and what to stop before it runs ({@link dev.auditlog.protect.GuardRule}, {@link dev.auditlog.protect.GuardRules};
 * the decision is a {@link dev.auditlog.GuardDecision}). Redaction ({@link dev.auditlog.Redaction}) is part of the
 * core and always runs first. Every decision is itself a record in the log's hash chain. See
 * {@code docs/PROTECTION.md}.
 *
 * <p>The implementation is package-private beside this API (the module has no internal package).
 */
package dev.auditlog.protect;
