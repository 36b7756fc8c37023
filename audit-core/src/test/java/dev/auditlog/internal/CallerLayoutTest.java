package dev.auditlog.internal;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who lays out a record: the dispatcher when it is free; while the dispatcher writes to its sinks (the record waits
 * for that write anyway), the caller, a run of {@link Intake#RUN} records at a time. The log's clock tells them apart:
 * it answers the caller's thread with one instant and every other thread with another, and a record's seal time is
 * read by whoever lays it out.
 */
class CallerLayoutTest {
    static final Instant CALLER = Instant.parse("2026-01-01T00:00:01Z");
    static final Instant OTHER = Instant.parse("2026-01-01T00:00:02Z");

    /** Blocks the write of the batch holding record {@code blockAt} until released. */
    static final class BlockingSink implements AuditSink {
        final MemorySink delegate = new MemorySink();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile long blockAt = -1;

        @Override
        public String name() {
            return "blocking";
        }

        @Override
        public Optional<ChainHead> open(String chainId) throws IOException {
            return delegate.open(chainId);
        }

        @Override
        public void write(List<SealedRecord> records) throws IOException {
            if (records.stream().anyMatch(r -> r.sequence() == blockAt)) {
                entered.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("test: never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            delegate.write(records);
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    @Test
    void aRecordQueuedWhileTheDispatcherWritesIsLaidOutByItsCaller() throws Exception {
        Thread caller = Thread.currentThread();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Thread.currentThread() == caller ? CALLER : OTHER;
            }
        };
        BlockingSink sink = new BlockingSink();
        try (AuditLog log = AuditLog.builder().logId("layout").singleChain().shutdownHook(false).clock(clock)
                .sink(sink).build()) {
            log.flush(); // the log's own first records are stored
            long first = log.record(event("first")).sequence();
            log.flush();
            sink.blockAt = first + 1;
            long blocked = log.record(event("blocked")).sequence();
            assertThat(blocked).isEqualTo(first + 1);
            assertThat(sink.entered.await(30, TimeUnit.SECONDS)).as("the dispatcher is writing").isTrue();
            long[] during = new long[2 * Intake.RUN];
            for (int i = 0; i < during.length; i++) {
                during[i] = log.record(event("during")).sequence();
            }
            sink.release.countDown();
            log.flush();
            long after = log.record(event("after")).sequence();
            log.flush();

            List<SealedRecord> stored = sink.delegate.records(log.chainId());
            assertThat(sealedAt(stored, first)).as("queued while the dispatcher was free").isEqualTo(OTHER);
            // The caller's run held "first" and "blocked" (both the dispatcher's by then) when the writes began; each
            // time it fills, the caller lays it out. The last records, fewer than a run, are left to the dispatcher.
            int laidOutByCaller = 2 * Intake.RUN - 2;
            for (int i = 0; i < during.length; i++) {
                assertThat(sealedAt(stored, during[i])).as("record %d of %d queued while it wrote", i, during.length)
                        .isEqualTo(i < laidOutByCaller ? CALLER : OTHER);
            }
            assertThat(sealedAt(stored, after)).as("free again").isEqualTo(OTHER);
        }
    }

    private static Instant sealedAt(List<SealedRecord> stored, long sequence) {
        return stored.stream().filter(r -> r.sequence() == sequence).findFirst().orElseThrow().sealedAt();
    }

    private static AuditEvent event(String what) {
        return AuditEvent.builder().action("test.layout." + what).actor(Actor.user("alice"))
                .outcome(Outcome.success()).build();
    }
}
