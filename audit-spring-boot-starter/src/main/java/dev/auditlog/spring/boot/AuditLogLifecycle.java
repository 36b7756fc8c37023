package dev.auditlog.spring.boot;

import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Flushes the audit log when the application context stops: in the last lifecycle phase, so after the web server
 * has finished its in-flight requests (Spring Boot's graceful shutdown) and everything they recorded is in the
 * queue. The log itself is closed afterwards, when its bean is destroyed, so a bean that records while it is
 * destroyed still can.
 */
public class AuditLogLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger("dev.auditlog");

    private final AuditLog log;
    private volatile boolean running;

    /** A lifecycle for {@code log}. */
    public AuditLogLifecycle(AuditLog log) {
        this.log = log;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            log.flush();
        } catch (AuditException e) {
            // Reported, not thrown: stopping goes on, and close() drains and reports again.
            LOG.error("audit log {}: flush on shutdown failed: {}", log.logId(), e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The lowest phase: stopped last, after the web server (whose graceful shutdown runs in a higher phase). */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
