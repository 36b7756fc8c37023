package dev.auditlog.integrity;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one verification path: {@link LogVerifier} over any {@link AuditReader}, through {@link AuditReader#scan}. */
class LogVerifierTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/lv", new SecureRandom());
    private static final String LOG_ID = "lv";
    /** The chain the log writes: instance "a". */
    private static final String LOG = LOG_ID + "@a";

    private List<SealedRecord> records;
    private String lastAnchored;

    @BeforeEach
    void writeASignedLog() {
        MemorySink sink = new MemorySink();
        List<String> anchored = new ArrayList<>();
        CheckpointAnchor anchor = new CheckpointAnchor() {
            @Override
            public String name() {
                return "list";
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) {
                anchored.add(signedCheckpoint);
            }
        };
        try (AuditLog log = AuditLog.builder().logId(LOG_ID).instanceId("a").sink(sink).shutdownHook(false)
                .checkpoints(KEY)
                .checkpointEvery(5, Duration.ofHours(1)).anchor(anchor).build()) {
            for (int i = 0; i < 20; i++) {
                log.record(AuditEvent.builder().action("document.read").actor(Actor.user("u" + i))
                        .outcome(Outcome.success()).message("record " + i).build());
            }
        }
        records = new ArrayList<>(sink.records(LOG));
        assertThat(anchored).isNotEmpty();
        lastAnchored = anchored.get(anchored.size() - 1);
    }

    private static LogVerifier verifier() {
        return LogVerifier.builder(KEY.verifierKey()).build();
    }

    @Test
    void aSignedLogVerifiesWithItsKeyThroughTheDefaultScan() throws IOException {
        VerificationReport report = verifier().verify(new ListReader(records), LOG);
        assertThat(report.findings()).isEmpty();
        assertThat(report.records()).isEqualTo(records.size());
        assertThat(report.checkpoints()).isPositive();
    }

    @Test
    void anotherKeyFindsEveryCheckpointInvalid() throws IOException {
        VerificationReport report = LogVerifier.builder(Ed25519Keys.generate("auditlog/lv").verifierKey()).build()
                .verify(new ListReader(records), LOG);
        assertThat(report.isValid()).isFalse();
        assertThat(report.firstFinding().orElseThrow().kind()).isEqualTo(Finding.Kind.CHECKPOINT_INVALID);
    }

    @Test
    void aRotatedKeyIsTrustedWhenGivenToo() throws IOException {
        VerifierKey newKey = Ed25519Keys.generate("auditlog/lv").verifierKey();
        VerificationReport report = LogVerifier.builder(newKey).alsoTrust(KEY.verifierKey()).build()
                .verify(new ListReader(records), LOG);
        assertThat(report.findings()).isEmpty();
        assertThat(report.checkpoints()).isPositive();
    }

    @Test
    void theKeyIsRequiredAndTheLogIdChecked() {
        assertThatThrownBy(() -> LogVerifier.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> verifier().verify(new ListReader(records), "../etc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chain id");
    }

    @Test
    void theEndOfLogChecksAreDone() throws IOException {
        CheckpointAnchor witness = fixedAnchor(lastAnchored);
        VerificationReport whole = LogVerifier.builder(KEY.verifierKey()).anchor(witness).build()
                .verify(new ListReader(records), LOG);
        assertThat(whole.findings()).isEmpty();
        assertThat(whole.anchoredSize()).isPositive();

        List<SealedRecord> cut = records.subList(0, (int) whole.anchoredSize() - 2);
        VerificationReport truncated = LogVerifier.builder(KEY.verifierKey()).anchor(witness).build()
                .verify(new ListReader(cut), LOG);
        assertThat(truncated.firstFinding().orElseThrow().kind()).isEqualTo(Finding.Kind.TRUNCATED);

        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
        VerificationReport stale = LogVerifier.builder(KEY.verifierKey()).maxStaleness(Duration.ofDays(1), later)
                .build().verify(new ListReader(records), LOG);
        assertThat(stale.isValid()).isTrue();
        assertThat(stale.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.STALE);
    }

    @Test
    void aReadFailureIsAFindingNotAnException() throws IOException {
        ListReader failing = new ListReader(records) {
            @Override
            public Stream<SealedRecord> read(String logId, long fromSequence) {
                return Stream.concat(records.subList(0, 3).stream(), Stream.generate(() -> {
                    throw new UncheckedIOException(new IOException("row 3 is garbage"));
                }));
            }
        };
        VerificationReport report = verifier().verify(failing, LOG);
        assertThat(report.isValid()).isFalse();
        assertThat(report.firstFinding().orElseThrow()).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.MALFORMED);
            assertThat(f.sequence()).isEqualTo(3);
            assertThat(f.message()).contains("row 3 is garbage");
        });
    }

    @Test
    void aStoreReportsItsOwnStructureThroughTheScan() throws IOException {
        ListReader structured = new ListReader(records) {
            @Override
            public void scan(String logId, LogScan scan) {
                for (SealedRecord r : records) {
                    scan.record(r, "unit-" + (r.sequence() / 10) + ":" + r.sequence());
                }
                scan.recovered(records.size(), "unit-2:0", "torn tail");
            }
        };
        VerificationReport warned = verifier().verify(structured, LOG);
        assertThat(warned.isValid()).isTrue();
        assertThat(warned.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.RECOVERED);
            assertThat(f.location()).isEqualTo("unit-2:0");
        });

        ListReader broken = new ListReader(records) {
            @Override
            public void scan(String logId, LogScan scan) {
                records.forEach(r -> scan.record(r, ""));
                scan.storageMismatch(10, "unit-1", "unit 1 does not link unit 0");
                scan.unreadable(records.size(), "unit-2:7", "not a record");
            }
        };
        VerificationReport report = verifier().verify(broken, LOG);
        assertThat(report.findings()).extracting(Finding::kind)
                .containsExactly(Finding.Kind.SEGMENT_MISMATCH, Finding.Kind.MALFORMED);
        assertThat(report.firstFinding().orElseThrow().location()).isEqualTo("unit-1");
    }

    @Test
    void aPlainCheckpointIsNoRetentionStart() throws IOException {
        int cut = 8;
        CompactMerkleTree tree = CompactMerkleTree.empty();
        records.subList(0, cut).forEach(r -> tree.append(r.leafHash()));
        // Correct, and signed with the log's key: still only a checkpoint, which anyone could copy beside a log.
        String note = Checkpoint.of(Checkpoint.origin(LOG), cut, tree.rootHash())
                .withChainHash(records.get(cut - 1).chainHash()).withTime(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                .sign(KEY);
        List<Long> resumedAt = new ArrayList<>();
        ListReader pruned = new ListReader(records.subList(cut, records.size())) {
            @Override
            public void scan(String logId, LogScan scan) {
                resumedAt.add(scan.retentionStart(note, tree.subtreeHashes(), "pruned.checkpoint"));
                records.forEach(r -> scan.record(r, ""));
            }
        };
        VerificationReport report = verifier().verify(pruned, LOG);
        assertThat(resumedAt).containsExactly(-1L);
        assertThat(report.firstFinding().orElseThrow()).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.RETENTION_INVALID);
            assertThat(f.location()).isEqualTo("pruned.checkpoint");
            assertThat(f.message()).contains("not a retention statement");
        });
    }

    @Test
    void anEditedRecordIsFoundThroughAnyReader() throws IOException {
        int at = 0;
        while (!records.get(at).lineText().contains("\"record 6\"")) {
            at++;
        }
        String text = records.get(at).lineText();
        records.set(at, SealedRecord.parse(text.replace("record 6", "record X").getBytes(StandardCharsets.UTF_8)));
        VerificationReport report = verifier().verify(new ListReader(records), LOG);
        long edited = at;
        assertThat(report.firstFinding().orElseThrow()).satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.CHAIN_MISMATCH);
            assertThat(f.sequence()).isEqualTo(edited);
        });
    }

    private static CheckpointAnchor fixedAnchor(String note) {
        return new CheckpointAnchor() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public void anchor(String logId, String signedCheckpoint) {
                throw new UnsupportedOperationException("read-only");
            }

            @Override
            public Optional<String> latest(String logId) {
                return Optional.of(note);
            }
        };
    }

    /** A reader over records in memory that overrides nothing but what it must. */
    private static class ListReader implements AuditReader {
        final List<SealedRecord> records;

        ListReader(List<SealedRecord> records) {
            this.records = List.copyOf(records);
        }

        @Override
        public Set<String> chainIds() {
            return Set.of(LOG);
        }

        @Override
        public Stream<SealedRecord> read(String logId, long fromSequence) {
            return records.stream().filter(r -> r.sequence() >= fromSequence);
        }

        @Override
        public void close() {
        }
    }
}
