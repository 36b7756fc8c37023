package dev.auditlog.protect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/** Built-in alert listeners. */
public final class AlertListeners {
    private AlertListeners() {
    }

    /** Logs each alert through SLF4J logger {@code dev.auditlog.alert}. */
    public static AlertListener slf4j() {
        return slf4j("dev.auditlog.alert");
    }

    /**
     * Logs each alert through the SLF4J logger {@code loggerName}: WARNING and below at WARN, ERROR and CRITICAL at
     * ERROR; one line with the log id, rule, key, severity, sequence numbers and summary.
     */
    public static AlertListener slf4j(String loggerName) {
        Objects.requireNonNull(loggerName, "loggerName");
        Logger log = LoggerFactory.getLogger(loggerName);
        return new AlertListener() {
            @Override
            public void onAlert(Alert a, AlertContext ctx) {
                String format = "audit alert log={} rule={} key={} severity={} sequences={}: {}";
                Object[] args = {ctx.logId(), a.ruleId(), a.key(), a.severity(), a.sequences(), a.summary()};
                switch (a.severity()) {
                    case ERROR, CRITICAL -> log.error(format, args);
                    default -> log.warn(format, args);
                }
            }

            @Override
            public String toString() {
                return "slf4j(" + loggerName + ")";
            }
        };
    }
}
