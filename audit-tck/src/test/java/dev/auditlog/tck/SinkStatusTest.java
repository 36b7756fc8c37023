package dev.auditlog.tck;

import dev.auditlog.AuditListener;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.SinkFailure;
import dev.auditlog.SinkStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** AuditLog.sinks() and lastCheckpointAge(), for health checks and metrics. */
class SinkStatusTest {

    @Test
    void aSinkGoesFromRetryingBackToUp() throws Exception {
        FakeTicker ticker = new FakeTicker(); // frozen: the retry waits until the test moves time on
        CountDownLatch failed = new CountDownLatch(1);
        FailingSink failing = FailingSink.failingTimes(1, new MemorySink());
        try (AuditLog log = AuditLog.builder().logId("status").shutdownHook(false).ticker(ticker)
                .retry(3, Duration.ofSeconds(1), Duration.ofSeconds(1)).sink(failing)
                .listener(new AuditListener() {
                    @Override
                    public void onSinkFailure(SinkFailure failure) {
                        failed.countDown();
                    }
                }).build()) {
            assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue(); // audit.log.started failed once
            assertThat(log.sinks()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo(failing.name());
                assertThat(s.state()).isEqualTo(SinkStatus.State.RETRYING);
                assertThat(s.failedAttempts()).isEqualTo(1);
                assertThat(s.storedThrough()).isEqualTo(-1);
                assertThat(s.lastError()).isEmpty(); // only once the retries are exhausted
            });
            ticker.advance(Duration.ofSeconds(1));
            log.flush();
            assertThat(log.sinks()).singleElement().satisfies(s -> {
                assertThat(s.state()).isEqualTo(SinkStatus.State.UP);
                assertThat(s.failedAttempts()).isZero();
                assertThat(s.storedThrough()).isZero();
            });
            assertThat(log.lastCheckpointAge()).isEmpty(); // no checkpoints configured
        }
    }
}
