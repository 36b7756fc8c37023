package dev.auditlog.micrometer;

import dev.auditlog.protect.Alert;
import dev.auditlog.protect.AlertContext;
import dev.auditlog.protect.AlertListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the alerts of an audit log's detection rules, by rule, as the counter {@code auditlog.alerts} with the
 * tags {@code log}, {@code rule} and those given here. Install it as an alert listener of the log's
 * {@code Protection} (alerts are counted from then on) and bind it to one or more registries:
 *
 * <pre>{@code
 * AuditAlertMetrics alerts = new AuditAlertMetrics("shop", List.of("login-burst"));
 * Protection protection = Protection.builder().rule(...).alertListener(alerts).build();
 * alerts.bindTo(registry);
 * }</pre>
 *
 * <p>Rules named at construction show 0 before their first alert; a rule first seen in an alert gets its counter
 * then. Thread-safe; the listener only adds to a counter, so it never slows the rules thread.
 */
public final class AuditAlertMetrics implements AlertListener, MeterBinder {
    private final Tags tags;
    private final Map<String, LongAdder> byRule = new ConcurrentHashMap<>();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    /**
     * @param logId      the log's id, the {@code log} tag
     * @param knownRules rule ids to show (at 0) before they fire
     */
    public AuditAlertMetrics(String logId, Collection<String> knownRules) {
        this(logId, knownRules, Tags.empty());
    }

    /**
     * @param logId      the log's id, the {@code log} tag
     * @param knownRules rule ids to show (at 0) before they fire
     * @param tags       more tags for every counter
     */
    public AuditAlertMetrics(String logId, Collection<String> knownRules, Iterable<Tag> tags) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("log", Objects.requireNonNull(logId, "logId"));
        for (String rule : new ArrayList<>(Objects.requireNonNull(knownRules, "knownRules"))) {
            byRule.put(Objects.requireNonNull(rule, "knownRules element"), new LongAdder());
        }
    }

    @Override
    public void onAlert(Alert alert, AlertContext context) {
        LongAdder count = byRule.get(alert.ruleId());
        if (count == null) {
            LongAdder fresh = new LongAdder();
            count = byRule.putIfAbsent(alert.ruleId(), fresh);
            if (count == null) {
                count = fresh;
                for (MeterRegistry r : registries) {
                    register(r, alert.ruleId(), fresh);
                }
            }
        }
        count.increment();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(Objects.requireNonNull(registry, "registry"));
        byRule.forEach((rule, count) -> register(registry, rule, count));
    }

    /** The alerts counted for {@code ruleId} so far. */
    public long count(String ruleId) {
        LongAdder c = byRule.get(ruleId);
        return c == null ? 0 : c.sum();
    }

    private void register(MeterRegistry registry, String rule, LongAdder count) {
        // Registering the same id twice returns the existing counter, so a race with bindTo is harmless.
        FunctionCounter.builder("auditlog.alerts", count, LongAdder::sum).tags(tags).tag("rule", rule)
                .description("Alerts raised by the log's detection rules").register(registry);
    }
}
