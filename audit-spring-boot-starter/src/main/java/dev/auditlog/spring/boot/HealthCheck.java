package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.SinkHealth;

import java.util.LinkedHashMap;
import java.util.Map;

/** The audit log's health, for both Boot lines' indicators; free of either's health API, so each can load it. */
final class HealthCheck {
    private HealthCheck() {
    }

    /** Fills {@code details} and answers UP, or DOWN when a sink is FAILING or STUCK ({@link SinkHealth}). */
    static String check(AuditLog log, Map<String, Object> details) {
        boolean down = false;
        Map<String, Object> sinks = new LinkedHashMap<>();
        for (SinkHealth s : log.sinkHealth()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", s.status().name());
            d.put("storedThrough", s.storedThrough());
            d.put("failedAttempts", s.failedAttempts());
            s.stuckSequence().ifPresent(q -> d.put("stuckSequence", q));
            if (!s.failingFor().isZero()) {
                d.put("failingFor", s.failingFor().toString());
            }
            s.reason().ifPresent(r -> d.put("reason", r));
            sinks.put(s.sink(), d);
            down |= s.status() == SinkHealth.Status.FAILING || s.status() == SinkHealth.Status.STUCK;
        }
        AuditMetrics m = log.metrics();
        details.put("logId", log.logId());
        details.put("chainId", log.chainId());
        details.put("sinks", sinks);
        details.put("queueDepth", m.queueDepth());
        details.put("oldestUnsentAge", m.oldestPendingAge().toString());
        log.lastCheckpointAge().ifPresent(a -> details.put("lastCheckpointAge", a.toString()));
        return down ? "DOWN" : "UP";
    }
}
