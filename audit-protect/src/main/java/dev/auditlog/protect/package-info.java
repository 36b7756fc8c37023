/**
 * Active protection: what to record ({@link dev.auditlog.protect.RecordingPolicy}), what never to record in clear
 * ({@link dev.auditlog.protect.Redaction}, {@link dev.auditlog.protect.Sensitive}), what to flag as it happens
 * ({@link dev.auditlog.protect.DetectionRule}, {@link dev.auditlog.protect.Rules}, {@link dev.auditlog.protect.Alert})
 * and what to stop before it runs ({@link dev.auditlog.protect.GuardRule}, {@link dev.auditlog.protect.GuardRules},
 * {@link dev.auditlog.protect.GuardDecision}). Every decision is itself a record in the log's hash chain. See
 * {@code docs/PROTECTION.md}.
 */
package dev.auditlog.protect;
