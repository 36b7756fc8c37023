package dev.auditlog.internal;

import dev.auditlog.AuditException;
import dev.auditlog.AuditReceipt;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The receipt whose future is made only when someone asks for it, whichever comes first: the ask or the result. */
class PendingTest {

    @Test
    void aFutureAskedForBeforeTheResultCompletesWithIt() {
        Pending stored = new Pending(new byte[0]);
        Pending failed = new Pending(new byte[0]);
        CompletableFuture<Void> s = stored.durable().toCompletableFuture();
        CompletableFuture<Void> f = failed.durable().toCompletableFuture();
        assertThat(s).isNotDone();
        assertThat(stored.isDone()).isFalse();
        assertThat(stored.toString()).contains("pending");

        stored.complete();
        failed.fail(new AuditException("disk on fire"));

        assertThat(s).isCompleted();
        assertThat(f).isCompletedExceptionally();
        assertThat(stored.isDone()).isTrue();
        assertThat(failed.isDone()).isTrue();
        assertThat(stored.toString()).contains("durable");
        assertThat(failed.toString()).contains("failed");
        stored.await();
        assertThatThrownBy(failed::await).isInstanceOf(AuditException.class).hasMessageContaining("disk on fire");
    }

    @Test
    void aFutureAskedForAfterTheResultIsAlreadyComplete() {
        Pending stored = new Pending(new byte[0]);
        Pending failed = new Pending(new byte[0]);
        stored.complete();
        failed.fail(new AuditException("disk on fire"));
        stored.fail(new AuditException("too late")); // the first result stands
        failed.complete();

        assertThat(stored.durable().toCompletableFuture()).isCompleted();
        assertThat(failed.durable().toCompletableFuture()).isCompletedExceptionally();
        stored.await();
        assertThatThrownBy(failed::await).isInstanceOf(AuditException.class).hasMessageContaining("disk on fire");
    }

    @Test
    void awaitReturnsWhenAnotherThreadResolves() throws Exception {
        for (int round = 0; round < 200; round++) {
            Pending p = new Pending(new byte[0]);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                started.countDown();
                try {
                    p.await();
                } catch (Throwable t) {
                    error.set(t);
                }
            });
            waiter.start();
            started.await();
            if (round % 2 == 0) {
                p.complete();
            } else {
                p.fail(new AuditException("no"));
            }
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(waiter.isAlive()).as("round %d", round).isFalse();
            if (round % 2 == 0) {
                assertThat(error.get()).as("round %d", round).isNull();
            } else {
                assertThat(error.get()).as("round %d", round).isInstanceOf(AuditException.class);
            }
        }
    }

    @Test
    void droppedAndSkippedReceiptsHaveNoSequenceAndAreResolved() {
        AuditReceipt dropped = Pending.dropped();
        AuditReceipt skipped = Pending.skipped("the event was not recorded: policy skipped it");
        assertThat(dropped.isDropped()).isTrue();
        assertThat(dropped.isSkipped()).isFalse();
        assertThat(skipped.isSkipped()).isTrue();
        assertThat(skipped.isDropped()).isFalse();
        assertThatThrownBy(dropped::sequence).isInstanceOf(IllegalStateException.class).hasMessageContaining("dropped");
        assertThatThrownBy(skipped::sequence).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("policy skipped it");
        assertThat(dropped.durable().toCompletableFuture()).isCompletedExceptionally();
        assertThat(skipped.durable().toCompletableFuture()).isCompleted();
        assertThatThrownBy(dropped::await).isInstanceOf(AuditException.class).hasMessageContaining("queue was full");
        skipped.await();
        assertThat(dropped.toString()).isEqualTo("AuditReceipt[dropped]");
        assertThat(skipped.toString()).isEqualTo("AuditReceipt[skipped]");
    }
}
