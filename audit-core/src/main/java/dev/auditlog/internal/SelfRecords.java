package dev.auditlog.internal;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditMetrics;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.EventCodec;
import dev.auditlog.spi.SealedRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The records the log writes about itself ({@code audit.log.started}, {@code audit.sink.failed}...; the list is in
 * {@code docs/FORMAT.md}). They bypass the interceptors and the queue's capacity: they are never dropped.
 */
final class SelfRecords {
    static final Actor SELF = Actor.system("auditlog");

    private final EngineConfig config;
    private HandOff handOff;

    SelfRecords(EngineConfig config) {
        this.config = config;
    }

    void attach(HandOff handOff) {
        this.handOff = handOff;
    }

    /** Queues one of the log's own records. */
    void record(AuditEvent event) {
        byte[] payload = EventCodec.write(event, event.occurredAt().orElseGet(config.clock()::instant), "", "", "");
        handOff.offerSelf(new Pending(payload));
    }

    /** A builder for one of the log's own records: category SYSTEM, actor {@code system:auditlog}, success. */
    static AuditEvent.Builder event(String action) {
        return AuditEvent.builder()
                .action(action)
                .category(Category.SYSTEM)
                .actor(SELF)
                .outcome(Outcome.success());
    }

    AuditEvent started(long resumedFrom, List<SinkState> sinks) {
        List<Object> sinkNames = new ArrayList<>();
        for (SinkState s : sinks) {
            sinkNames.add(s.sink.name());
        }
        AuditEvent.Builder b = event("audit.log.started")
                .message("audit log started")
                .attribute("library.version", LibraryVersion.get())
                .attribute("log.id", config.logId())
                .attribute("chain.id", config.chainId())
                .attribute("host", dev.auditlog.spi.ChainIds.hostName())
                .attribute("pid", ProcessHandle.current().pid())
                .attribute("resumed.from.sequence", resumedFrom)
                .attribute("sinks", sinkNames)
                .attribute("delivery", config.delivery().name())
                .attribute("overflow.policy", config.overflowPolicy().name())
                .attribute("queue.capacity", config.queueCapacity())
                .attribute("batch.max", config.maxBatchSize())
                .attribute("retry.max.attempts", config.maxAttempts())
                .attribute("strict", config.strict())
                .attribute("interceptors", config.interceptors().stream().map(i -> (Object) i.name()).toList());
        for (AuditInterceptor i : config.interceptors()) {
            putAll(b, i.startedAttributes());
        }
        return b.build();
    }

    AuditEvent stopped(AuditMetrics m) {
        AuditEvent.Builder b = event("audit.log.stopped")
                .message("audit log stopped")
                .attribute("recorded", m.recorded())
                .attribute("written", m.written())
                .attribute("dropped", m.dropped())
                .attribute("skipped", m.skipped())
                .attribute("failed", m.failed())
                .attribute("retried", m.retried());
        for (AuditInterceptor i : config.interceptors()) {
            putAll(b, i.stoppedAttributes());
        }
        return b.build();
    }

    AuditEvent sinkFailed(SinkState s, Throwable error) {
        return sinkEvent("audit.sink.failed", Severity.ERROR, Outcome.failure("sink_write_failed"), s, error);
    }

    AuditEvent sinkRecovered(SinkState s) {
        return sinkEvent("audit.sink.recovered", Severity.WARNING, Outcome.success(), s, s.lastError);
    }

    private static AuditEvent sinkEvent(String action, Severity severity, Outcome outcome, SinkState s,
                                        Throwable error) {
        AuditEvent.Builder b = event(action)
                .severity(severity)
                .outcome(outcome)
                .attribute("sink", s.sink.name())
                .attribute("failed.attempts", s.failuresSinceRecovery)
                .attribute("first.unwritten.sequence", s.nextSequence);
        if (error != null) {
            b.attribute("error", error.getClass().getName());
        }
        return b.build();
    }

    /** A store refuses a record: which record, the store's (scrubbed) reason, and how long the sink is stuck. */
    AuditEvent sinkStuck(SinkState s, SealedRecord record, String reason, java.time.Duration stuckFor) {
        AuditEvent.Builder b = event("audit.sink.stuck")
                .severity(Severity.ERROR)
                .outcome(Outcome.failure("record_refused"))
                .attribute("sink", s.sink.name())
                .attribute("failed.attempts", s.attempts)
                .attribute("stuck.millis", stuckFor.toMillis())
                .attribute("reason", reason.isEmpty() ? "(none given)" : reason);
        record(b, record);
        return b.build();
    }

    /** An operator stored a refused record without its query columns. */
    AuditEvent storedUnindexed(SinkState s, SealedRecord record) {
        AuditEvent.Builder b = event("audit.sink.unindexed")
                .severity(Severity.WARNING)
                .attribute("sink", s.sink.name());
        record(b, record);
        return b.build();
    }

    /** Names a record without its contents: sequence, type, leaf hash, size, and an event's id and action. */
    private static void record(AuditEvent.Builder b, SealedRecord r) {
        b.attribute("record.sequence", r.sequence())
                .attribute("record.type", r.type())
                .attribute("record.leaf.hash", java.util.HexFormat.of().formatHex(r.leafHash()))
                .attribute("record.bytes", r.lineLength());
        try {
            r.eventSummary().ifPresent(e -> b.attribute("record.event.id", e.eventId().toString())
                    .attribute("record.event.action", e.action()));
        } catch (IllegalArgumentException malformed) {
            b.attribute("record.malformed", true);
        }
    }

    AuditEvent anchorFailed(String anchor, Exception e) {
        return event("audit.anchor.failed").severity(Severity.ERROR)
                .outcome(Outcome.failure("anchor_failed")).attribute("anchor", anchor)
                .attribute("error", e.getClass().getName()).build();
    }

    /** The payload of the event sealed in place of a retention statement that could not be made. */
    static byte[] pruneRefused(String why, java.time.Instant at) {
        AuditEvent e = event("audit.log.prune_refused").severity(Severity.ERROR)
                .outcome(Outcome.failure("no_covering_checkpoint")).message(why).build();
        return EventCodec.write(e, at, "", "", "");
    }

    /** The event recorded when a prune begins, before its retention statement. */
    static AuditEvent pruning(long before, long first, java.util.List<String> sinks) {
        return event("audit.log.pruning").severity(Severity.NOTICE)
                .message("removing the records before " + first + " under a signed retention statement")
                .attribute("prune.before", before).attribute("retention.first", first)
                .attribute("sinks", new ArrayList<Object>(sinks)).build();
    }

    /** Adds an interceptor's attributes; values are strings, numbers, booleans, lists or maps. */
    private static void putAll(AuditEvent.Builder b, Map<String, Object> attributes) {
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            String name = e.getKey();
            Object v = e.getValue();
            if (v instanceof Boolean x) {
                b.attribute(name, x);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                b.attribute(name, ((Number) v).longValue());
            } else if (v instanceof List<?> x) {
                b.attribute(name, x);
            } else if (v instanceof Map<?, ?> x) {
                @SuppressWarnings("unchecked")
                Map<String, ?> m = (Map<String, ?>) x;
                b.attribute(name, m);
            } else {
                b.attribute(name, String.valueOf(v));
            }
        }
    }
}
