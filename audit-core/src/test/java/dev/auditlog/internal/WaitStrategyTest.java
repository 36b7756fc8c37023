package dev.auditlog.internal;

import dev.auditlog.Delivery;
import dev.auditlog.OverflowPolicy;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dispatcher naps while recently busy (callers do not wake it) and sleeps until signalled after that. */
class WaitStrategyTest {
    private static final long NAP = WaitStrategy.NAP_NANOS;
    private static final long SLEEP_AFTER = WaitStrategy.SLEEP_AFTER_NANOS;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final WaitStrategy waits = new WaitStrategy(now::get);

    @Test
    void napsWhileRecentlyBusyAndNeedsNoSignal() {
        waits.busy();
        now.addAndGet(SLEEP_AFTER - 1);
        assertThat(waits.waitNanos(Long.MAX_VALUE)).isEqualTo(NAP);
        assertThat(waits.mustSignal(false)).isFalse();
        assertThat(waits.signals()).isZero();
    }

    @Test
    void aTimerDueBeforeTheNapEndsShortensIt() {
        waits.busy();
        assertThat(waits.waitNanos(1234)).isEqualTo(1234);
    }

    @Test
    void sleepsUntilSignalledOnceIdleLongEnoughAndOneCallerSignals() {
        waits.busy();
        now.addAndGet(SLEEP_AFTER);
        assertThat(waits.waitNanos(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(waits.mustSignal(false)).isTrue();
        assertThat(waits.mustSignal(false)).as("the signal is pending: a second caller need not send one").isFalse();
        assertThat(waits.signals()).isEqualTo(1);
    }

    @Test
    void sleepingUntilATimerStillNeedsASignalForRecords() {
        now.addAndGet(SLEEP_AFTER);
        assertThat(waits.waitNanos(5_000_000_000L)).isEqualTo(5_000_000_000L);
        assertThat(waits.mustSignal(false)).isTrue();
    }

    @Test
    void urgentCallersAlwaysSignal() {
        waits.busy();
        assertThat(waits.waitNanos(Long.MAX_VALUE)).isEqualTo(NAP);
        assertThat(waits.mustSignal(true)).isTrue();
        assertThat(waits.mustSignal(true)).isTrue();
        assertThat(waits.signals()).isEqualTo(2);
    }

    @Test
    void busyAgainMeansNapsAgain() {
        now.addAndGet(SLEEP_AFTER);
        waits.waitNanos(Long.MAX_VALUE);
        waits.awake();
        waits.busy();
        assertThat(waits.waitNanos(Long.MAX_VALUE)).isEqualTo(NAP);
        assertThat(waits.mustSignal(false)).isFalse();
    }

    @Test
    void rejectsANonPositiveNap() {
        assertThatThrownBy(() -> new WaitStrategy(now::get, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("napNanos must be > 0");
    }

    // ------------------------------------------------------------------ through HandOff, with a real dispatcher wait

    private HandOff handOff() {
        EngineConfig config = new EngineConfig(List.of(), List.of(), List.of(), Clock.systemUTC(), now::get, "t",
                64, 16, OverflowPolicy.BLOCK, Duration.ZERO, Delivery.ASYNC, 3, Duration.ofMillis(1),
                Duration.ofMillis(10), Duration.ofSeconds(5), false, false,
                new EngineConfig.MdcKeys("traceId", "spanId", "requestId"), Optional.empty(), 1000,
                Duration.ofMinutes(1), List.of(), List.of(), Optional.empty(), "t");
        return new HandOff(config, new Counters(), 0);
    }

    /**
     * Runs {@link HandOff#take} as the dispatcher would, idle (no timer due), on another thread, and returns once that
     * thread waits for work.
     */
    private static CompletableFuture<List<Pending>> dispatcherTakes(HandOff h) {
        CompletableFuture<List<Pending>> f = CompletableFuture.supplyAsync(() -> {
            List<Pending> out = new ArrayList<>();
            try {
                h.take(out, 16, () -> Long.MAX_VALUE, () -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
        while (!h.dispatcherWaiting()) {
            Thread.onSpinWait();
        }
        return f;
    }

    @Test
    void aRecordQueuedWhileTheDispatcherNapsIsTakenWithoutASignal() throws Exception {
        HandOff h = handOff();
        CompletableFuture<List<Pending>> taken = dispatcherTakes(h);
        h.offer(new Pending(new byte[0]), null, false);
        assertThat(taken.get(30, TimeUnit.SECONDS)).hasSize(1);
        assertThat(h.signals()).isZero();
    }

    @Test
    void aRecordQueuedWhileTheDispatcherSleepsWakesIt() throws Exception {
        HandOff h = handOff();
        now.addAndGet(SLEEP_AFTER); // idle long enough: the dispatcher sleeps until signalled
        CompletableFuture<List<Pending>> taken = dispatcherTakes(h);
        // Without a signal the dispatcher would never return (it waits with no timeout), and get() would time out.
        h.offer(new Pending(new byte[0]), null, false);
        assertThat(taken.get(30, TimeUnit.SECONDS)).hasSize(1);
        assertThat(h.signals()).isEqualTo(1);
    }

    @Test
    void aCallerThatWaitsForItsRecordAlwaysSignals() throws Exception {
        HandOff h = handOff();
        CompletableFuture<List<Pending>> taken = dispatcherTakes(h);
        h.offer(new Pending(new byte[0]), null, true);
        assertThat(taken.get(30, TimeUnit.SECONDS)).hasSize(1);
        assertThat(h.signals()).isEqualTo(1);
    }
}
