package dev.auditlog.tck;

import dev.auditlog.AuditListener;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.SinkFailure;
import dev.auditlog.SinkHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** AuditLog.sinkHealth() through a retry, and lastCheckpointAge() without checkpoints. */
class SinkHealthRetryTest {

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
            assertThat(log.sinkHealth()).singleElement().satisfies(s -> {
                assertThat(s.sink()).isEqualTo(failing.name());
                assertThat(s.status()).isEqualTo(SinkHealth.Status.RETRYING);
                assertThat(s.failedAttempts()).isEqualTo(1);
                assertThat(s.storedThrough()).isEqualTo(-1);
                assertThat(s.stuckSequence()).hasValue(0);
            });
            ticker.advance(Duration.ofSeconds(1));
            log.flush();
            assertThat(log.sinkHealth()).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(SinkHealth.Status.OK);
                assertThat(s.failedAttempts()).isZero();
                assertThat(s.storedThrough()).isZero();
            });
            assertThat(log.lastCheckpointAge()).isEmpty(); // no checkpoints configured
        }
    }
}
