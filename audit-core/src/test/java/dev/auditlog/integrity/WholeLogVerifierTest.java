package dev.auditlog.integrity;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WholeLogVerifierTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/orders");

    private static void write(MemorySink storage, String instance, int events) {
        try (AuditLog log = AuditLog.builder().logId("orders").instanceId(instance).sink(storage.reopen())
                .checkpoints(KEY).checkpointEvery(4, Duration.ofHours(1)).shutdownHook(false).build()) {
            for (int i = 0; i < events; i++) {
                log.record(AuditEvent.builder().action("order.create").actor(Actor.user("u" + i))
                        .outcome(Outcome.success()).build());
            }
        }
    }

    private static WholeLogVerifier verifier() {
        return new WholeLogVerifier(LogVerifier.builder(KEY.verifierKey()).build());
    }

    @Test
    void everyChainOfTheLogIsVerifiedAndOtherLogsAreLeftOut() throws IOException {
        MemorySink storage = new MemorySink();
        write(storage, "a", 5);
        write(storage, "b", 9);
        write(storage, "a", 2); // a restart resumes its chain
        try (AuditLog other = AuditLog.builder().logId("orders2").instanceId("a").sink(storage.reopen())
                .shutdownHook(false).build()) {
            other.flush();
        }
        WholeLogVerifier.Report report = verifier().verify(storage.reader().orElseThrow(), "orders");
        assertThat(report.chains()).containsOnlyKeys("orders@a", "orders@b");
        assertThat(report.isValid()).isTrue();
        assertThat(report.findings()).isEmpty();
        assertThat(report.instances()).containsExactly("a", "b");
        assertThat(report.records()).isEqualTo(storage.records("orders@a").size()
                + storage.records("orders@b").size());
    }

    @Test
    void aChainRemovedAsAWholeOrCutShortIsFoundThroughTheRegistry() throws IOException {
        MemorySink storage = new MemorySink();
        write(storage, "a", 5);
        write(storage, "b", 9);
        AuditReader full = storage.reader().orElseThrow();
        List<ChainInfo> registered = full.chains("orders");
        assertThat(registered).extracting(ChainInfo::chainId).containsExactly("orders@a", "orders@b");
        assertThat(registered).allSatisfy(c -> assertThat(c.latestCheckpoint()).isPresent());

        // a store whose registry still lists chain b but whose records of b are gone
        AuditReader withoutB = new FilteringReader(full, Set.of("orders@a"), Integer.MAX_VALUE);
        WholeLogVerifier.Report missing = verifier().verify(withoutB, "orders");
        assertThat(missing.isValid()).isFalse();
        assertThat(missing.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.CHAIN_MISSING);
            assertThat(f.message()).contains("orders@b").contains("removed");
        });
        assertThat(missing.chains()).containsOnlyKeys("orders@a");

        // b's tail cut off, checkpoints and all: the registry's checkpoint is longer than what is left
        AuditReader cut = new FilteringReader(full, Set.of("orders@a", "orders@b"), 6);
        WholeLogVerifier.Report shortB = verifier().verify(cut, "orders");
        assertThat(shortB.isValid()).isFalse();
        assertThat(shortB.findings()).extracting(Finding::kind).contains(Finding.Kind.CHAIN_MISSING);

        // only b's last record cut: the registered checkpoint of size n is record n itself, so that is a cut too
        int lastB = storage.records("orders@b").size() - 1;
        assertThat(storage.records("orders@b").get(lastB).checkpointNote()).as("b ends with its closing checkpoint")
                .isPresent();
        WholeLogVerifier.Report lastCut = verifier().verify(new FilteringReader(full, Set.of("orders@a", "orders@b"),
                lastB), "orders");
        assertThat(lastCut.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.CHAIN_MISSING);
        assertThat(lastCut.findings().get(0).message()).contains("(record " + lastB + ")");
        assertThat(verifier().verify(new FilteringReader(full, Set.of("orders@a", "orders@b"), lastB + 1), "orders")
                .findings()).isEmpty();
    }

    @Test
    void aLogTheStoreDoesNotHoldIsAnError() {
        assertThatThrownBy(() -> verifier().verify(new MemorySink().reader().orElseThrow(), "orders"))
                .isInstanceOf(IOException.class).hasMessageContaining("no chain of log orders");
        assertThatThrownBy(() -> verifier().verify(new MemorySink().reader().orElseThrow(), "a@b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A reader that shows only some chains' records, each cut to its first {@code keep} records. */
    private record FilteringReader(AuditReader inner, Set<String> shown, int keep) implements AuditReader {
        @Override
        public Set<String> chainIds() throws IOException {
            return shown;
        }

        @Override
        public List<ChainInfo> chains(String logId) throws IOException {
            return inner.chains(logId);
        }

        @Override
        public Stream<SealedRecord> read(String chainId, long fromSequence) throws IOException {
            return shown.contains(chainId) ? inner.read(chainId, fromSequence).limit(Math.max(0, keep - fromSequence))
                    : Stream.empty();
        }

        @Override
        public void close() {
        }
    }
}
