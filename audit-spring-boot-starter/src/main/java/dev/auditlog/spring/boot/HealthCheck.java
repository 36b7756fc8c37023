package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.SinkStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/** The audit log's health, for both Boot lines' indicators; free of either's health API, so each can load it. */
final class HealthCheck {
    private HealthCheck() {
    }

    /** Fills {@code details} and answers UP, or DOWN when a sink is down. */
    static String check(AuditLog log, Map<String, Object> details) {
        boolean down = false;
        Map<String, Object> sinks = new LinkedHashMap<>();
        for (SinkStatus s : log.sinks()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("state", s.state().name());
            d.put("storedThrough", s.storedThrough());
            d.put("failedAttempts", s.failedAttempts());
            s.lastError().ifPresent(e -> d.put("lastError", e));
            sinks.put(s.name(), d);
            down |= s.state() == SinkStatus.State.DOWN;
        }
        AuditMetrics m = log.metrics();
        details.put("logId", log.logId());
        details.put("sinks", sinks);
        details.put("queueDepth", m.queueDepth());
        details.put("oldestUnsentAge", m.oldestPendingAge().toString());
        log.lastCheckpointAge().ifPresent(a -> details.put("lastCheckpointAge", a.toString()));
        return down ? "DOWN" : "UP";
    }
}
