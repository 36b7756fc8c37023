package dev.auditlog.internal;

import dev.auditlog.spi.CheckpointAnchor;

import java.io.IOException;

/**
 * When the log writes a signed checkpoint, and where a durable one goes. The count rule (every N records) is
 * applied in {@link HandOff}, where sequence numbers are handed out; the time rule (every T, idle or not) and a
 * sink's request (a segment closed) are applied here. Dispatcher thread only.
 */
final class Checkpoints {
    private final EngineConfig config;
    private final HandOff handOff;
    private final SelfRecords self;
    private long lastNanos;
    private boolean queued;
    /** When the last checkpoint became durable in every sink (ticker nanos), for AuditLog.lastCheckpointAge(). */
    private volatile long durableAtNanos;
    private volatile boolean anyDurable;

    private final Object anchoring = new Object();
    /** Guarded by {@code anchoring}: the newest durable checkpoint not yet given to the anchors. */
    private String nextNote;
    private boolean anchorBusy;
    private boolean anchorsClosed;
    private Thread anchorThread;
    /** Threads in {@link #awaitAnchored}: they do not wait out the spacing. */
    private int anchorWaiters;
    private boolean anchoredOnce;
    private long lastAnchorNanos;
    /**
     * Guarded by {@code anchoring}: the anchoring thread waits for a note (not out the spacing); only then does a new
     * note wake it. Waking it for
     * every checkpoint while it waits out the spacing cost a context switch per checkpoint on the log's cores.
     */
    private boolean awaitingNote;

    /**
     * The least time between two anchor calls, unless flush() or close() waits for one. An anchor keeps only the
     * newest checkpoint, so calling it for every checkpoint of a busy log buys nothing, and a forced file per call
     * makes the disk write the log's segments back at that rate (the cost of integrity, BENCHMARKS.md).
     */
    static final long ANCHOR_SPACING_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    Checkpoints(EngineConfig config, HandOff handOff, SelfRecords self) {
        this.config = config;
        this.handOff = handOff;
        this.self = self;
        this.lastNanos = config.ticker().read();
    }

    /** A checkpoint record was sealed. */
    void sealed() {
        lastNanos = config.ticker().read();
        queued = false;
    }

    /** Queues a checkpoint now (a sink asked for one), unless one is already on its way. */
    void want() {
        if (config.checkpoints() && !queued) {
            handOff.offerSelf(Pending.checkpoint());
            queued = true;
        }
    }

    /** Queues a checkpoint when T has passed since the last one. */
    void maybeQueueByTime() {
        if (nanosUntilDue(config.ticker().read()) == 0) {
            want();
        }
    }

    /** 0 when a checkpoint is due by time; the wait until it is; Long.MAX_VALUE when none will be. */
    long nanosUntilDue(long now) {
        if (!config.checkpoints() || queued) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, lastNanos + config.checkpointInterval().toNanos() - now);
    }

    /** Ticker nanos when the last checkpoint became durable in every sink; empty before the first. Any thread. */
    java.util.OptionalLong lastDurableNanos() {
        return anyDurable ? java.util.OptionalLong.of(durableAtNanos) : java.util.OptionalLong.empty();
    }

    /**
     * Hands a durable checkpoint to the anchoring thread, which gives every anchor the newest one it has, at most once
     * per {@link #ANCHOR_SPACING_NANOS} unless flush() or close() waits: an anchor (a forced file, a remote witness)
     * never stalls the dispatcher, and the checkpoints in between are skipped (an anchor keeps only the latest).
     * Dispatcher thread.
     */
    void anchor(String note) {
        durableAtNanos = config.ticker().read();
        anyDurable = true;
        if (config.anchors().isEmpty()) {
            return;
        }
        synchronized (anchoring) {
            nextNote = note;
            if (anchorThread == null) {
                anchorThread = new Thread(this::anchorLoop, "auditlog-anchor-" + config.chainId());
                anchorThread.setDaemon(true);
                anchorThread.start();
            }
            if (awaitingNote) {
                anchoring.notifyAll();
            }
        }
    }

    /** Waits until every checkpoint handed over so far was anchored (or its failure recorded). Any thread. */
    void awaitAnchored() throws InterruptedException {
        synchronized (anchoring) {
            anchorWaiters++;
            anchoring.notifyAll();
            try {
                while ((nextNote != null || anchorBusy) && anchorThread != null && anchorThread.isAlive()) {
                    anchoring.wait();
                }
            } finally {
                anchorWaiters--;
            }
        }
    }

    /** Anchors what is still handed over, then ends the anchoring thread. Dispatcher thread, when it stops. */
    void stopAnchoring() throws InterruptedException {
        Thread t;
        synchronized (anchoring) {
            anchorsClosed = true;
            anchoring.notifyAll();
            t = anchorThread;
        }
        if (t != null) {
            t.join();
        }
    }

    private void anchorLoop() {
        while (true) {
            String note;
            synchronized (anchoring) {
                try {
                    while (true) {
                        if (nextNote == null) {
                            if (anchorsClosed) {
                                return;
                            }
                            awaitingNote = true;
                            try {
                                anchoring.wait();
                            } finally {
                                awaitingNote = false;
                            }
                            continue;
                        }
                        long wait = anchoredOnce && !anchorsClosed && anchorWaiters == 0
                                ? lastAnchorNanos + ANCHOR_SPACING_NANOS - config.ticker().read() : 0;
                        if (wait <= 0) {
                            break;
                        }
                        anchoring.wait(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(wait)));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                note = nextNote;
                nextNote = null;
                anchorBusy = true;
            }
            try {
                anchorEverywhere(note);
            } finally {
                synchronized (anchoring) {
                    anchorBusy = false;
                    anchoredOnce = true;
                    lastAnchorNanos = config.ticker().read();
                    anchoring.notifyAll();
                }
            }
        }
    }

    /** A failure is logged and recorded in the log, never fails a receipt. */
    private void anchorEverywhere(String note) {
        for (CheckpointAnchor a : config.anchors()) {
            try {
                a.anchor(config.chainId(), note);
            } catch (IOException | RuntimeException e) {
                Engine.LOG.error("audit log {}: anchoring a checkpoint to {} failed", config.chainId(), a.name(), e);
                try {
                    self.record(self.anchorFailed(a.name(), e));
                } catch (IllegalStateException closed) {
                    // the log stopped after this checkpoint: the error above is all there is
                }
            }
        }
    }
}
