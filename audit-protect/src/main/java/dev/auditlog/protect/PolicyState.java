package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.OutcomeStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** A policy installed in a log, with its sampling counters. Thread-safe, lock-free. */
final class PolicyState {
    private final RecordingPolicy policy;
    private final PolicyRule[] rules;
    private final AtomicLongArray seen;
    private final AtomicLongArray skipped;
    private final AtomicLong lastSummaryMillis;
    private volatile boolean anySkipped;

    public PolicyState(RecordingPolicy policy, Instant now) {
        this.policy = policy;
        List<PolicyRule> r = policy.rules();
        this.rules = r.toArray(new PolicyRule[0]);
        this.seen = new AtomicLongArray(rules.length);
        this.skipped = new AtomicLongArray(rules.length);
        this.lastSummaryMillis = new AtomicLong(now.toEpochMilli());
    }

    public RecordingPolicy policy() {
        return policy;
    }

    /** The level to apply, counting skipped events; NONE means do not record. */
    public RecordingLevel decide(AuditEvent event) {
        int i = policy.firstMatch(event);
        RecordingLevel level = i < 0 ? policy.defaultLevel() : rules[i].level();
        boolean sampling = i >= 0 && rules[i].sampleOneIn() > 0 && event.outcome().status() == OutcomeStatus.SUCCESS;
        if (level == RecordingLevel.FULL && !sampling) {
            return level;
        }
        if ((level == RecordingLevel.NONE || sampling) && Mandatory.reason(event) != null) {
            return level == RecordingLevel.NONE ? RecordingLevel.FULL : level;
        }
        if (level == RecordingLevel.NONE) {
            skipped.incrementAndGet(i);
            anySkipped = true;
            return RecordingLevel.NONE;
        }
        if (sampling && seen.getAndIncrement(i) % rules[i].sampleOneIn() != 0) {
            skipped.incrementAndGet(i);
            anySkipped = true;
            return RecordingLevel.NONE;
        }
        return level;
    }

    /** Whether a summary is due at {@code now} (and claims it); only true when something was skipped. */
    public boolean summaryDue(Instant now) {
        if (!anySkipped) {
            return false;
        }
        long last = lastSummaryMillis.get();
        long nowMs = now.toEpochMilli();
        return nowMs - last >= policy.summaryInterval().toMillis() && lastSummaryMillis.compareAndSet(last, nowMs);
    }

    /** A summary was written at {@code now} by the timer: the next one by a skip is due an interval later. */
    public void summarisedAt(Instant now) {
        lastSummaryMillis.set(now.toEpochMilli());
    }

    /** Skipped counts per rule id since the previous call, resetting them; empty when nothing was skipped. */
    public Map<String, Long> drainSkipped() {
        Map<String, Long> out = new TreeMap<>();
        anySkipped = false;
        for (int i = 0; i < rules.length; i++) {
            long n = skipped.getAndSet(i, 0);
            if (n > 0) {
                out.put(rules[i].id(), n);
            }
        }
        return out;
    }
}
