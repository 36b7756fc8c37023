package dev.auditlog.file;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The background forces of a segment under NONE and INTERVAL: on a thread of their own, one at a time, and never
 * hiding a failed fsync from the writer's own next force.
 */
class WriteBehindTest {
    @TempDir
    Path dir;
    Path file;
    FileChannel channel;
    final List<String> forcedOn = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean block;
    volatile IOException fail;

    final Forcer forcer = (ch, f) -> {
        forcedOn.add(Thread.currentThread().getName());
        entered.countDown();
        if (block) {
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fail != null) {
            throw fail;
        }
        ch.force(false);
    };
    WriteBehind behind;

    @BeforeEach
    void open() throws IOException {
        file = dir.resolve("segment.jsonl");
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        behind = new WriteBehind(forcer, 100, "orders");
    }

    @AfterEach
    void close() throws IOException {
        release.countDown();
        behind.close();
        channel.close();
    }

    @Test
    void forcesOnItsOwnThreadOnceAShareIsWritten() throws IOException {
        behind.written(channel, file, 60);
        assertThat(forcedOn).as("60 of 100 bytes: no force started").isEmpty();
        behind.written(channel, file, 50);
        behind.settle(); // waits for it
        assertThat(forcedOn).hasSize(1);
        assertThat(forcedOn.get(0)).isEqualTo("auditlog-file-writeback-orders")
                .isNotEqualTo(Thread.currentThread().getName());
        behind.written(channel, file, 60);
        behind.settle(); // the writer's own force covers these: the count starts again
        behind.written(channel, file, 60);
        behind.settle();
        assertThat(forcedOn).as("60 + 60 bytes with the writer's force between them").hasSize(1);
    }

    /** Starts a background force that blocks until {@link #release}, and waits until it runs. */
    private void startBlockedForce() throws InterruptedException {
        block = true;
        behind.written(channel, file, 100);
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneForceAtATime() throws Exception {
        startBlockedForce();
        behind.written(channel, file, 500);
        release.countDown();
        behind.settle();
        assertThat(forcedOn).as("the second share came while the first force was in flight").hasSize(1);
    }

    @Test
    void theWritersForceWaitsForOneInFlight() throws Exception {
        startBlockedForce();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread settler = new Thread(() -> {
            try {
                behind.settle();
                outcome.set("settled");
            } catch (IOException e) {
                outcome.set(e);
            }
        });
        settler.start();
        Thread.State state;
        while ((state = settler.getState()) != Thread.State.WAITING && state != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        assertThat(state).as("settle() blocks while the force runs").isEqualTo(Thread.State.WAITING);
        release.countDown();
        settler.join();
        assertThat(outcome.get()).isEqualTo("settled");
    }

    @Test
    void aFailedBackgroundForceFailsTheWritersNextForceOnce() throws IOException {
        fail = new IOException("EIO (test)");
        behind.written(channel, file, 100);
        assertThatThrownBy(behind::settle).isInstanceOf(IOException.class)
                .hasMessageContaining("a background force of the segment failed")
                .hasMessageContaining("may not be on the disk")
                .hasCause(fail);
        behind.settle(); // reported once: the writer then gives the segment up and writes its records again
    }

    @Test
    void aGivenUpSegmentsFailureIsForgotten() throws IOException {
        fail = new IOException("EIO (test)");
        behind.written(channel, file, 100);
        behind.forget();
        behind.settle();
        assertThat(forcedOn).hasSize(1);
    }

    @Test
    void aClosedSegmentIsNotAFailure() throws IOException {
        channel.close();
        behind.written(channel, file, 100);
        behind.settle();
        assertThat(forcedOn).hasSize(1);
    }

    @Test
    void theShareMustBePositive() {
        assertThatThrownBy(() -> new WriteBehind(forcer, 0, "orders")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every must be positive, was 0");
    }
}
