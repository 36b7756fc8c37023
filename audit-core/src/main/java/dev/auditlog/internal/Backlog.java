package dev.auditlog.internal;

import dev.auditlog.AuditException;
import dev.auditlog.spi.SealedRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sealed records that some sink has not stored yet, in sequence order. A record leaves only when every live sink
 * stored it, so a sink that recovers is brought up to date without a gap; its size counts against the queue's
 * capacity (see {@link HandOff}), which is what makes a dead sink push back. Dispatcher thread only.
 */
final class Backlog {
    private final String logId;
    private final Counters counters;
    private final List<Pending> records = new ArrayList<>();
    private int start;

    Backlog(String logId, Counters counters) {
        this.logId = logId;
        this.counters = counters;
    }

    void add(Pending p) {
        records.add(p);
    }

    boolean isEmpty() {
        return start == records.size();
    }

    /** Ticker time the oldest record was queued at; 0 when empty (ask {@link #isEmpty()}). */
    long oldestNanos() {
        return isEmpty() ? 0 : records.get(start).enqueuedNanos;
    }

    /** Up to {@code max} records from sequence {@code from} on. */
    List<SealedRecord> batchFrom(long from, int max) {
        int i = (int) (from - records.get(start).sequence) + start;
        int to = Math.min(records.size(), i + max);
        List<SealedRecord> batch = new ArrayList<>(to - i);
        for (; i < to; i++) {
            batch.add(records.get(i).record);
        }
        return batch;
    }

    /** What {@link #resolve} did, for the hand-off. */
    record Resolution(int trimmed, int newlyFailed, long resolvedThrough) {
    }

    /**
     * Completes the receipts of records every sink stored, fails those a down sink holds back, hands durable
     * checkpoints to {@code durableCheckpoint}, and trims what no sink needs any more.
     *
     * @param sealedThrough the last sealed sequence
     */
    Resolution resolve(Sinks sinks, long sealedThrough, Consumer<String> durableCheckpoint) {
        long writtenThrough = sinks.writtenThrough();
        int newlyFailed = 0;
        for (int i = start; i < records.size(); i++) {
            Pending p = records.get(i);
            boolean held = sinks.holdsBack(p.sequence);
            if (p.sequence > writtenThrough && !held) {
                break; // later records are neither written nor held back either
            }
            if (p.isDone()) {
                continue;
            }
            if (held) {
                counters.failed.incrementAndGet();
                newlyFailed++;
                p.fail(new AuditException("record " + p.sequence + " of audit log \""
                        + logId + "\" could not be stored: " + sinks.downMessage(p.sequence)));
            } else {
                counters.written.incrementAndGet();
                p.complete();
                if (p instanceof Pending.Signed s && s.note != null) {
                    durableCheckpoint.accept(s.note);
                }
            }
        }
        int trimmed = 0;
        for (int j = start; j < records.size(); j++) {
            Pending p = records.get(j);
            if (!p.isDone() || sinks.stillNeeded(p.sequence)) {
                break;
            }
            records.set(j, null);
            trimmed++;
        }
        start += trimmed;
        if (start > 1024 && start > records.size() / 2) {
            records.subList(0, start).clear();
            start = 0;
        }
        return new Resolution(trimmed, newlyFailed, resolvedThrough(sealedThrough));
    }

    /** Highest sequence such that every record up to it has a completed receipt. */
    private long resolvedThrough(long sealedThrough) {
        for (int i = start; i < records.size(); i++) {
            Pending p = records.get(i);
            if (!p.isDone()) {
                return p.sequence - 1;
            }
        }
        return sealedThrough;
    }

    /** Moves every unresolved record into {@code out}, when the dispatcher stops. */
    void drainTo(List<Pending> out) {
        for (int i = start; i < records.size(); i++) {
            out.add(records.get(i));
        }
    }
}
