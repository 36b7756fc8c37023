package dev.auditlog.protect;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs detection rules on sealed records on its own thread. The dispatcher hands records over with a non-blocking
 * {@link #offer}; when the queue is full the record is not evaluated and counted (sealing and writing never wait
 * for rules). Alerts are recorded through {@link Callbacks}, then handed to the listeners, then the rule's
 * responses run.
 */
final class RulesEngine implements AlertContext, ResponseContext {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.auditlog");

    /** What the engine needs from the log. */
    public interface Callbacks {
        void recordAlert(Alert alert);

        void recordDeliveryFailure(Alert alert, String listener, int attempts, String error);

        void lock(String key, Instant until, String ruleId);
    }

    private final String logId;
    private final List<DetectionRule> rules;
    private final List<AlertListener> listeners;
    private final Callbacks callbacks;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private final Object monitor = new Object();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong ruleErrors = new AtomicLong();
    private long processed; // guarded by monitor
    private static final Object POISON = new Object();

    public RulesEngine(String logId, List<DetectionRule> rules, List<AlertListener> listeners, Callbacks callbacks,
                int capacity) {
        this.logId = logId;
        this.rules = List.copyOf(rules);
        this.listeners = List.copyOf(listeners);
        this.callbacks = callbacks;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "auditlog-rules-" + logId);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Called by the dispatcher after sealing; never blocks. */
    public void offer(ObservedEvent o) {
        if (queue.offer(o)) {
            offered.incrementAndGet();
        } else if (overflow.incrementAndGet() % 1000 == 1) {
            LOG.warn("audit log {}: rules queue full; {} record(s) not evaluated so far", logId, overflow.get());
        }
    }

    private void run() {
        try {
            while (true) {
                Object item = queue.take();
                if (item == POISON) {
                    return;
                }
                evaluate((ObservedEvent) item);
                synchronized (monitor) {
                    processed++;
                    monitor.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (monitor) {
                processed = Long.MAX_VALUE;
                monitor.notifyAll();
            }
        }
    }

    private void evaluate(ObservedEvent o) {
        for (DetectionRule rule : rules) {
            List<Alert> fired;
            try {
                fired = rule.evaluate(o);
            } catch (RuntimeException e) {
                ruleErrors.incrementAndGet();
                LOG.error("audit log {}: detection rule {} failed on record {}", logId, rule.id(),
                        o.sequence(), e);
                continue;
            }
            for (Alert a : fired) {
                alerts.incrementAndGet();
                callbacks.recordAlert(a);
                for (AlertListener l : listeners) {
                    try {
                        l.onAlert(a, this);
                    } catch (RuntimeException e) {
                        LOG.error("audit log {}: alert listener {} threw", logId, l, e);
                    }
                }
                for (AlertResponse r : rule.responses()) {
                    try {
                        r.respond(a, this);
                    } catch (RuntimeException e) {
                        LOG.error("audit log {}: response of rule {} threw", logId, rule.id(), e);
                    }
                }
            }
        }
    }

    /** Waits until every record offered before the call has been evaluated. */
    public void awaitIdle() {
        long target = offered.get();
        synchronized (monitor) {
            while (processed < target) {
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Evaluates what is queued, stops the thread, closes closeable listeners. */
    public void shutdown() {
        if (thread.isAlive()) {
            try {
                queue.put(POISON);
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AlertListener l : listeners) {
            if (l instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.error("audit log {}: closing alert listener {} failed", logId, l, e);
                }
            }
        }
    }

    public long alerts() {
        return alerts.get();
    }

    public long overflow() {
        return overflow.get();
    }

    public long ruleErrors() {
        return ruleErrors.get();
    }

    public List<DetectionRule> rules() {
        return rules;
    }

    @Override
    public String logId() {
        return logId;
    }

    @Override
    public void deliveryFailed(Alert alert, String listener, int attempts, String error) {
        callbacks.recordDeliveryFailure(alert, listener, attempts, error);
    }

    @Override
    public void lock(String key, Instant until, String ruleId) {
        callbacks.lock(key, until, ruleId);
    }
}
