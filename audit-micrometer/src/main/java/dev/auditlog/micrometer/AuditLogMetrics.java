package dev.auditlog.micrometer;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditMetrics;
import dev.auditlog.SinkHealth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds an {@link AuditLog}'s counters and state to a Micrometer registry. Every meter is tagged {@code log} (the
 * log id) plus the tags given here; every value is read from the log when the registry asks (no thread, no timer).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what ({@link AuditMetrics})</th></tr>
 *   <tr><td>{@code auditlog.records.recorded}</td><td>counter</td><td>records accepted and sequenced</td></tr>
 *   <tr><td>{@code auditlog.records.written}</td><td>counter</td><td>records stored by every sink</td></tr>
 *   <tr><td>{@code auditlog.records.dropped}</td><td>counter</td><td>events refused by a full queue</td></tr>
 *   <tr><td>{@code auditlog.records.skipped}</td><td>counter</td><td>events a recording policy skipped</td></tr>
 *   <tr><td>{@code auditlog.records.failed}</td><td>counter</td><td>records whose receipt failed</td></tr>
 *   <tr><td>{@code auditlog.sink.retries}</td><td>counter</td><td>sink writes retried</td></tr>
 *   <tr><td>{@code auditlog.queue.depth}</td><td>gauge</td><td>records accepted, not yet resolved</td></tr>
 *   <tr><td>{@code auditlog.queue.oldest.age}</td><td>time gauge</td><td>age of the oldest of those; 0 when
 *       none</td></tr>
 *   <tr><td>{@code auditlog.sink.state}</td><td>gauge, tags {@code sink}, {@code state}</td><td>1 for the sink's
 *       current {@link SinkHealth.Status} ({@code ok}, {@code retrying}, {@code failing}, {@code stuck}), 0 for the others</td></tr>
 *   <tr><td>{@code auditlog.checkpoint.age}</td><td>time gauge</td><td>since the last checkpoint became durable;
 *       NaN when there is none ({@link AuditLog#lastCheckpointAge()})</td></tr>
 * </table>
 *
 * <p>Alerts by detection rule are {@link AuditAlertMetrics}, a listener installed on the log's protection.
 *
 * <pre>{@code
 * new AuditLogMetrics(log).bindTo(registry);
 * }</pre>
 */
public final class AuditLogMetrics implements MeterBinder {
    private final AuditLog log;
    private final Tags tags;

    /** Binds {@code log} with the tag {@code log} only. */
    public AuditLogMetrics(AuditLog log) {
        this(log, Tags.empty());
    }

    /** Binds {@code log} with the tag {@code log} and {@code tags}. */
    public AuditLogMetrics(AuditLog log, Iterable<Tag> tags) {
        this.log = Objects.requireNonNull(log, "log");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags")).and("log", log.logId());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        // The log is the state object: Micrometer holds it weakly, and whoever owns the log keeps it alive.
        counter(registry, "auditlog.records.recorded", "Records accepted and given a sequence number",
                l -> l.metrics().recorded());
        counter(registry, "auditlog.records.written", "Records stored by every sink", l -> l.metrics().written());
        counter(registry, "auditlog.records.dropped", "Events not accepted because the queue was full",
                l -> l.metrics().dropped());
        counter(registry, "auditlog.records.skipped", "Events a recording policy decided not to record",
                l -> l.metrics().skipped());
        counter(registry, "auditlog.records.failed", "Records whose receipt failed because a sink could not store"
                + " them", l -> l.metrics().failed());
        FunctionCounter.builder("auditlog.sink.retries", log, l -> l.metrics().retried()).tags(tags)
                .description("Sink write attempts that were retried").register(registry);
        Gauge.builder("auditlog.queue.depth", log, l -> l.metrics().queueDepth()).tags(tags)
                .description("Records accepted but not yet stored or failed").register(registry);
        TimeGauge.builder("auditlog.queue.oldest.age", log, TimeUnit.SECONDS,
                        l -> seconds(l.metrics().oldestPendingAge())).tags(tags)
                .description("How long the oldest unsent record has waited").register(registry);
        TimeGauge.builder("auditlog.checkpoint.age", log, TimeUnit.SECONDS,
                        l -> l.lastCheckpointAge().map(AuditLogMetrics::seconds).orElse(Double.NaN)).tags(tags)
                .description("Since the last signed checkpoint became durable in every sink").register(registry);
        for (SinkHealth sink : log.sinkHealth()) {
            for (SinkHealth.Status state : SinkHealth.Status.values()) {
                String sinkName = sink.sink();
                Gauge.builder("auditlog.sink.state", log, l -> stateOf(l, sinkName) == state ? 1 : 0)
                        .tags(tags).tag("sink", sinkName).tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                        .description("1 for the sink's current state, 0 for the others").register(registry);
            }
        }
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<AuditLog> f) {
        // No base unit: Prometheus would append it (auditlog_records_written_records_total).
        FunctionCounter.builder(name, log, f).tags(tags).description(description).register(registry);
    }

    private static SinkHealth.Status stateOf(AuditLog log, String sinkName) {
        for (SinkHealth s : log.sinkHealth()) {
            if (s.sink().equals(sinkName)) {
                return s.status();
            }
        }
        return null;
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    @Override
    public String toString() {
        return "AuditLogMetrics[" + log.logId() + "]";
    }
}
