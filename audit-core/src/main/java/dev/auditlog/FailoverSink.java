package dev.auditlog;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.ChainLeaseException;
import dev.auditlog.spi.RecordRefusedException;
import dev.auditlog.spi.Scrubber;
import dev.auditlog.spi.SealedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A sink that keeps an audit log flowing through an outage of its primary sink (typically a database), with a
 * local spool (typically a file sink) in between.
 *
 * <p>The spool is a write-ahead journal: every batch is first made durable in the spool, then written to the
 * primary. While the primary fails, batches accumulate in the spool only; the primary is probed again every
 * {@linkplain Builder#probeInterval probe interval}, and once it answers, the records it missed are drained into it
 * from the spool, in order, before any newer one (new records wait behind the spool). Because the spool holds
 * everything, a process that crashes during an outage loses nothing either: on {@link #open} the primary is
 * brought up to date from the spool. The same sealed bytes go to both, so both verify.
 *
 * <p>Receipts complete, by default, when a record is durable in the spool or the primary
 * ({@link Acknowledge#SPOOL}); with {@link Acknowledge#PRIMARY} only once it reached the primary. The number of
 * records spooled but not yet in the primary is bounded; beyond it a write fails without storing anything, so the
 * log's retry, backpressure and overflow policy take over (nothing is dropped silently).
 *
 * <p>Drains run inside {@link #write} and {@link #flush}, on the log's dispatcher thread; an idle log drains at
 * its next record, which a log with checkpoints writes at least every checkpoint interval.
 *
 * <p>The spool keeps the full journal: plan its disk space like the log's own (retention is a later feature).
 */
public final class FailoverSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger("dev.auditlog");

    /** When a write counts as durable. */
    public enum Acknowledge {
        /** Once durable in the spool (the primary may still be behind). The default. */
        SPOOL,
        /** Only once durable in the primary; spooled records are retried by the log until the primary has them. */
        PRIMARY
    }

    /**
     * A snapshot of the failover counters.
     *
     * @param unsent            records in the spool that the primary does not have yet
     * @param spooled           records written while the primary was behind (since this sink was built)
     * @param drained           records drained from the spool into the primary
     * @param drains            completed drains (the primary caught up after an outage)
     * @param primaryFailures   failed attempts to write to or open the primary
     * @param oldestUnsentAge   how long the oldest unsent record has waited; zero when none
     * @param primaryStuckAt    the record the primary's store refuses ({@link RecordRefusedException}), which it
     *                          cannot get past until an operator resolves it with
     *                          {@link AuditLog#storeUnindexed(String, long)}; -1 when none
     */
    public record Metrics(long unsent, long spooled, long drained, long drains, long primaryFailures,
                          Duration oldestUnsentAge, long primaryStuckAt) {
    }

    private final AuditSink primary;
    private final AuditSink spool;
    private final long maxUnsent;
    private final Acknowledge acknowledge;
    private final long probeNanos;
    private final Ticker ticker;
    private final List<AuditEvent> notices = new ArrayList<>();

    private String logId;
    private boolean primaryOpen;
    private long spoolNext;
    private long primaryNext;
    private long lastFailureNanos;
    private boolean failing;
    private long unsentSinceNanos;
    private volatile Metrics metrics = new Metrics(0, 0, 0, 0, 0, Duration.ZERO, -1);
    private long spooled;
    private long drained;
    private long drains;
    private long primaryFailures;
    private boolean closed;
    /** The record the primary's store refuses, or -1; its scrubbed reason; when the last WARN about it was. */
    private long stuckAt = -1;
    private String stuckReason;
    private long stuckSinceNanos;
    private long lastWarnNanos;

    private FailoverSink(Builder b) {
        this.primary = b.primary;
        this.spool = b.spool;
        this.maxUnsent = b.maxUnsent;
        this.acknowledge = b.acknowledge;
        this.probeNanos = b.probeInterval.toNanos();
        this.ticker = b.ticker;
    }

    /**
     * A failover sink over {@code primary} with {@code spool} as its journal; the spool must be readable
     * ({@link AuditSink#reader()}), which a file sink is.
     */
    public static Builder builder(AuditSink primary, AuditSink spool) {
        return new Builder(primary, spool);
    }

    @Override
    public String name() {
        return "failover(" + primary.name() + " via " + spool.name() + ")";
    }

    @Override
    public Optional<ChainHead> open(String logId) throws IOException {
        this.logId = Objects.requireNonNull(logId, "logId");
        if (spool.reader().isEmpty()) {
            throw new IOException("the spool " + spool.name() + " of " + name() + " cannot be read back; a spool must"
                    + " be a readable sink such as a file sink");
        }
        Optional<ChainHead> spoolHead = spool.open(logId);
        spoolNext = spoolHead.map(h -> h.sequence() + 1).orElse(0L);
        primaryNext = spoolNext;
        try {
            Optional<ChainHead> primaryHead = primary.open(logId);
            primaryOpen = true;
            long next = primaryHead.map(h -> h.sequence() + 1).orElse(0L);
            if (next > spoolNext) {
                // The journal starts after the primary (for example a spool added to an existing log): catch it up.
                copy(primary, spool, spoolNext, next);
                spoolNext = next;
            }
            primaryNext = next;
        } catch (ChainLeaseException e) {
            throw e; // another writer holds the chain: not an outage to ride out, a configuration to fix
        } catch (IOException | RuntimeException e) {
            primaryFailed("open", e);
        }
        if (primaryNext < spoolNext) {
            unsentSinceNanos = ticker.read();
            drain();
        }
        updateMetrics();
        return spoolNext == 0 ? Optional.empty() : headOf(spool);
    }

    private Optional<ChainHead> headOf(AuditSink sink) throws IOException {
        // Re-opening is not allowed by every sink; read the last record instead.
        try (Stream<SealedRecord> s = sink.reader().orElseThrow().read(logId, Math.max(0, spoolNext - 1))) {
            Iterator<SealedRecord> it = s.iterator();
            SealedRecord last = null;
            while (it.hasNext()) {
                last = it.next();
            }
            return last == null ? Optional.empty() : Optional.of(ChainHead.of(last.sequence(), last.chainHash()));
        }
    }

    @Override
    public void write(List<SealedRecord> records) throws IOException {
        if (closed) {
            throw new IllegalStateException(name() + " is closed: write rejected");
        }
        long first = records.get(0).sequence();
        long last = records.get(records.size() - 1).sequence();
        long unsent = spoolNext - primaryNext;
        if (unsent > 0 && unsent + records.size() > maxUnsent && !probeDue()) {
            throw new IOException(name() + ": the spool holds " + unsent + " records the primary has not taken (limit "
                    + maxUnsent + "); not accepting more until it recovers");
        }
        long spoolBefore = spoolNext;
        spool.write(records);
        spoolNext = Math.max(spoolNext, last + 1);
        if (primaryNext <= last && (!failing || probeDue()) && primaryReady()) {
            if (primaryNext < first) {
                drain(); // everything up to and including this batch, in order
            }
            if (primaryNext >= first && primaryNext <= last) {
                try {
                    primary.write(records.subList((int) (primaryNext - first), records.size()));
                    primaryNext = last + 1;
                    recovered();
                } catch (IOException | RuntimeException e) {
                    primaryFailed("write", e);
                }
            }
        }
        if (primaryNext <= last) {
            long from = Math.max(primaryNext, Math.max(spoolBefore, first));
            spooled += Math.max(0, last + 1 - from);
            if (unsentSinceNanos == 0) {
                unsentSinceNanos = ticker.read();
            }
        }
        updateMetrics();
        if (acknowledge == Acknowledge.PRIMARY && primaryNext <= last) {
            throw new IOException(name() + ": records " + primaryNext + ".." + last + " are spooled but not yet in"
                    + " the primary (acknowledge = PRIMARY)");
        }
    }

    @Override
    public void flush() throws IOException {
        spool.flush();
        if (primaryNext < spoolNext && (!failing || probeDue()) && primaryReady()) {
            drain();
            updateMetrics();
        }
        if (primaryOpen) {
            primary.flush();
        }
    }

    /** Copies [primaryNext, spoolNext) from the spool into the primary, in batches; stops at the first failure. */
    private void drain() {
        long before = primaryNext;
        try {
            ensurePrimaryOpen();
            copy(spool, primary, primaryNext, spoolNext);
            primaryNext = spoolNext;
        } catch (IOException | RuntimeException e) {
            primaryFailed("drain", e);
        } finally {
            drained += Math.max(0, primaryNext - before);
        }
        recovered();
    }

    /** Copies records [from, to) of the log from one sink's reader into another sink. */
    private void copy(AuditSink from, AuditSink to, long start, long end) throws IOException {
        AuditReader reader = from.reader().orElseThrow(() -> new IOException(from.name() + " cannot be read back"));
        List<SealedRecord> batch = new ArrayList<>(512);
        try (Stream<SealedRecord> s = reader.read(logId, start)) {
            Iterator<SealedRecord> it = s.iterator();
            while (it.hasNext()) {
                SealedRecord r = it.next();
                if (r.sequence() >= end) {
                    break;
                }
                batch.add(r);
                if (batch.size() == 512) {
                    to.write(batch);
                    if (to == primary) {
                        primaryNext = batch.get(batch.size() - 1).sequence() + 1;
                    }
                    batch = new ArrayList<>(512);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!batch.isEmpty()) {
            to.write(batch);
            if (to == primary) {
                primaryNext = batch.get(batch.size() - 1).sequence() + 1;
            }
        }
    }

    /** Opens the primary if it was down at start; false (and a failure noted) when it still cannot be opened. */
    private boolean primaryReady() {
        try {
            ensurePrimaryOpen();
            return true;
        } catch (IOException | RuntimeException e) {
            primaryFailed("open", e);
            return false;
        }
    }

    private void ensurePrimaryOpen() throws IOException {
        if (!primaryOpen) {
            Optional<ChainHead> head = primary.open(logId);
            primaryOpen = true;
            // Where the primary really is: it may be behind the journal (an earlier outage, then a restart).
            primaryNext = head.map(h -> h.sequence() + 1).orElse(0L);
        }
    }

    private boolean probeDue() {
        return ticker.read() - lastFailureNanos >= probeNanos;
    }

    private void primaryFailed(String what, Exception e) {
        primaryFailures++;
        lastFailureNanos = ticker.read();
        RecordRefusedException refused = RecordRefusedException.in(e);
        if (refused != null && refused.sequence() != stuckAt) {
            stuckAt = refused.sequence();
            stuckReason = Scrubber.scrub(String.valueOf(refused.getMessage()));
            stuckSinceNanos = lastFailureNanos;
            lastWarnNanos = lastFailureNanos;
            LOG.error("{}: the primary's store refuses record {} ({}); the primary cannot get past it and the records"
                    + " after it stay in the spool; resolve with AuditLog.storeUnindexed(\"{}\", {})", name(), stuckAt,
                    stuckReason, name(), stuckAt);
            notices.add(notice("audit.sink.stuck", Severity.ERROR).outcome(Outcome.failure("record_refused"))
                    .attribute("sink", name()).attribute("primary", primary.name())
                    .attribute("record.sequence", stuckAt).attribute("reason", stuckReason)
                    .attribute("stuck.millis", 0L).build());
        } else if (failing && lastFailureNanos - lastWarnNanos >= WARN_EVERY_NANOS) {
            lastWarnNanos = lastFailureNanos;
            LOG.warn("{}: the primary still has not taken record {} ({} records wait in the spool) after {}: {}", name(),
                    primaryNext, spoolNext - primaryNext, Duration.ofNanos(lastFailureNanos - (stuckAt >= 0
                            ? stuckSinceNanos : unsentSinceNanos)).withNanos(0),
                    stuckAt >= 0 ? "its store refuses it (" + stuckReason + ")" : Scrubber.scrub(e.toString()));
        }
        if (unsentSinceNanos == 0) {
            unsentSinceNanos = lastFailureNanos;
        }
        if (!failing) {
            failing = true;
            lastWarnNanos = lastFailureNanos;
            LOG.warn("{}: primary failed on {} ({}); spooling from record {}", name(), what,
                    Scrubber.scrub(e.toString()), primaryNext);
            notices.add(notice("audit.sink.failover", Severity.WARNING)
                    .attribute("primary", primary.name()).attribute("spool", spool.name())
                    .attribute("operation", what).attribute("error", e.getClass().getName())
                    .attribute("first.spooled.sequence", primaryNext).build());
        }
    }

    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private void recovered() {
        if (stuckAt >= 0 && primaryNext > stuckAt) {
            stuckAt = -1;
            stuckReason = null;
        }
        if (primaryNext >= spoolNext) {
            if (failing || unsentSinceNanos != 0) {
                drains++;
                LOG.info("{}: primary caught up at record {}", name(), primaryNext - 1);
                notices.add(notice("audit.sink.drained", Severity.NOTICE)
                        .attribute("primary", primary.name()).attribute("drained.total", drained)
                        .attribute("caught.up.at.sequence", primaryNext - 1).build());
            }
            failing = false;
            unsentSinceNanos = 0;
        }
    }

    private static AuditEvent.Builder notice(String action, Severity severity) {
        return AuditEvent.builder().action(action).category(Category.SYSTEM).severity(severity)
                .actor(Actor.system("auditlog")).outcome(Outcome.success());
    }

    private void updateMetrics() {
        long unsent = Math.max(0, spoolNext - primaryNext);
        metrics = new Metrics(unsent, spooled, drained, drains, primaryFailures,
                unsent == 0 || unsentSinceNanos == 0 ? Duration.ZERO
                        : Duration.ofNanos(ticker.read() - unsentSinceNanos), stuckAt);
    }

    /** A snapshot of the failover counters; safe to call from any thread. */
    public Metrics metrics() {
        Metrics m = metrics;
        if (m.unsent() > 0 && unsentSinceNanos != 0) {
            return new Metrics(m.unsent(), m.spooled(), m.drained(), m.drains(), m.primaryFailures(),
                    Duration.ofNanos(ticker.read() - unsentSinceNanos), m.primaryStuckAt());
        }
        return m;
    }

    @Override
    public List<AuditEvent> takeNotices() {
        List<AuditEvent> out = new ArrayList<>(notices);
        notices.clear();
        out.addAll(spool.takeNotices());
        if (primaryOpen) {
            out.addAll(primary.takeNotices());
        }
        return out;
    }

    /** The spool closes segments as the log grows: its requests for a checkpoint pass through. */
    @Override
    public boolean wantsCheckpoint() {
        boolean spoolWants = spool.wantsCheckpoint();
        boolean primaryWants = primaryOpen && primary.wantsCheckpoint();
        return spoolWants || primaryWants;
    }

    /** The spool's reader: the journal holds every record. */
    @Override
    public Optional<AuditReader> reader() {
        return spool.reader();
    }

    /**
     * Stores the record the primary's store refuses in the primary without its query columns
     * ({@link AuditSink#writeUnindexed}), then drains what waited behind it. Reached through
     * {@link AuditLog#storeUnindexed(String, long)}.
     */
    @Override
    public void writeUnindexed(SealedRecord record) throws IOException {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        ensurePrimaryOpen();
        if (record.sequence() > primaryNext && record.sequence() <= spoolNext) {
            copy(spool, primary, primaryNext, record.sequence()); // what came before it (redelivery is a no-op)
        }
        if (record.sequence() != primaryNext) {
            throw new IOException(name() + ": the primary is at record " + primaryNext + ", not " + record.sequence());
        }
        primary.writeUnindexed(record);
        primaryNext = record.sequence() + 1;
        failing = false;
        recovered();
        if (primaryNext < spoolNext) {
            drain();
        }
        updateMetrics();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            if (primaryNext < spoolNext && primaryOpen && !failing) {
                drain();
            }
        } finally {
            for (AuditSink s : List.of(primary, spool)) {
                try {
                    s.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        if (failure == null && stuckAt >= 0) {
            // Not "everything stored": the primary never got past a record its store refuses, and reopening will
            // not change that.
            throw new IOException(name() + ": the primary's store refuses record " + stuckAt + " (" + stuckReason
                    + "); " + (spoolNext - primaryNext) + " record(s) are in the spool only; resolve with"
                    + " AuditLog.storeUnindexed(\"" + name() + "\", " + stuckAt + ")");
        }
        if (primaryNext < spoolNext) {
            LOG.warn("{}: closed with {} records in the spool that the primary does not have yet; they are drained"
                    + " when the log is next opened", name(), spoolNext - primaryNext);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures a {@link FailoverSink}. */
    public static final class Builder {
        private final AuditSink primary;
        private final AuditSink spool;
        private long maxUnsent = 1_000_000;
        private Acknowledge acknowledge = Acknowledge.SPOOL;
        private Duration probeInterval = Duration.ofSeconds(1);
        private Ticker ticker = Ticker.system();

        private Builder(AuditSink primary, AuditSink spool) {
            this.primary = Objects.requireNonNull(primary, "primary");
            this.spool = Objects.requireNonNull(spool, "spool");
            if (primary == spool) {
                throw new IllegalArgumentException("primary and spool must be different sinks");
            }
        }

        /**
         * Records spooled but not yet in the primary, at most (1 to 10^12, default 1 000 000). Beyond it, writes fail
         * without storing anything until the primary takes records again.
         */
        public Builder maxUnsent(long records) {
            if (records < 1 || records > 1_000_000_000_000L) {
                throw new IllegalArgumentException("maxUnsent must be between 1 and 10^12, was " + records);
            }
            this.maxUnsent = records;
            return this;
        }

        /** When a write counts as durable; default {@link Acknowledge#SPOOL}. */
        public Builder acknowledge(Acknowledge acknowledge) {
            this.acknowledge = Objects.requireNonNull(acknowledge, "acknowledge");
            return this;
        }

        /** How long to wait after a primary failure before trying it again (positive, default 1 s). */
        public Builder probeInterval(Duration interval) {
            Objects.requireNonNull(interval, "probeInterval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("probeInterval must be positive, was " + interval);
            }
            this.probeInterval = interval;
            return this;
        }

        /**
         * The source of time for the probe interval and for how long records have waited unsent (default
         * {@link Ticker#system()}); tests drive it by hand.
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Builds the sink; nothing is opened until the log opens it. */
        public FailoverSink build() {
            return new FailoverSink(this);
        }
    }

    @Override
    public String toString() {
        return name() + " " + metrics();
    }
}
