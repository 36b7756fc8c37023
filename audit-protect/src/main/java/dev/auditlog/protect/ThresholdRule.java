package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Fires when {@code count} matching events share a key within {@code window}: the newest minus the oldest of the
 * last {@code count} is strictly less than the window (an event exactly one window old no longer counts). After
 * firing, the key's window is cleared. State: the last {@code count} (time, sequence) pairs per key, for at most
 * {@code maxKeys} keys (least recently used evicted, counted).
 */
final class ThresholdRule extends BaseRule {
    private final Glob action;
    private final OutcomeStatus outcome;
    private final ThresholdKey keyBy;
    private final int count;
    private final long windowNanos;
    private final Duration window;
    private final LruMap<String, long[]> state;

    public ThresholdRule(String id, Severity severity, List<AlertResponse> responses, Glob action,
                         OutcomeStatus outcome, ThresholdKey keyBy, int count, Duration window, int maxKeys) {
        super(id, severity, responses);
        this.action = action;
        this.outcome = outcome;
        this.keyBy = keyBy;
        this.count = count;
        this.window = window;
        this.windowNanos = window.toNanos();
        this.state = new LruMap<>(maxKeys);
    }

    @Override
    public List<Alert> evaluate(ObservedEvent o) {
        AuditEvent e = o.event();
        if (action != null && !action.matches(e.action())) {
            return List.of();
        }
        if (outcome != null && e.outcome().status() != outcome) {
            return List.of();
        }
        String key;
        if (keyBy == ThresholdKey.ACTOR) {
            key = "actor:" + e.actor().id();
        } else {
            String ip = e.origin().flatMap(x -> x.ip()).orElse(null);
            if (ip == null) {
                return List.of();
            }
            key = "ip:" + ip;
        }
        long[] fired = observe(key, o.occurredAt(), o.sequence());
        if (fired == null) {
            return List.of();
        }
        Alert.Builder b = Alert.builder().ruleId(id).severity(severity).key(key).firedAt(o.occurredAt())
                .summary(count + " " + (action == null ? "events" : e.action()) + " for " + key + " within "
                        + window);
        for (long s : fired) {
            b.sequence(s);
        }
        return List.of(b.build());
    }

    /**
     * Adds one event for {@code key}; returns the triggering sequence numbers when the threshold is reached, else
     * null. Layout of a key's state: [size, head, t0, s0, t1, s1, ...].
     */
    public long[] observe(String key, Instant at, long sequence) {
        long t = nanos(at);
        long[] ring = state.get(key);
        if (ring == null) {
            ring = new long[2 + 2 * count];
            state.put(key, ring);
        }
        int size = (int) ring[0];
        int head = (int) ring[1];
        int slot = (head + size) % count;
        if (size == count) {
            head = (head + 1) % count;
        } else {
            size++;
        }
        ring[2 + 2 * slot] = t;
        ring[3 + 2 * slot] = sequence;
        ring[0] = size;
        ring[1] = head;
        if (size == count && t - ring[2 + 2 * head] < windowNanos) {
            long[] seqs = new long[count];
            for (int i = 0; i < count; i++) {
                seqs[i] = ring[3 + 2 * ((head + i) % count)];
            }
            ring[0] = 0;
            ring[1] = 0;
            return seqs;
        }
        return null;
    }

    /** Keys currently tracked. */
    public int trackedKeys() {
        return state.size();
    }

    /** Keys evicted so far. */
    public long evictions() {
        return state.evictions();
    }

    public int maxKeys() {
        return state.cap();
    }
}
