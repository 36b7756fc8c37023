package dev.auditlog.file;

import dev.auditlog.AuditLog;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: the verifier accepts what the writer produces and nothing else, and the independent verifier
 * ({@code tools/verify}) reaches the same verdict on every log the Java writer produces: plain, rotated, pruned,
 * recovered from a torn write, with an abandoned overlapping segment, with non-ASCII text (every fifth TckEvents
 * event), and the non-canonical records the writer cannot produce. Each test names the item it covers.
 */
class VerificationConformanceTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/conformance", new SecureRandom());
    private static final String LOG = "conf";
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("logs");
    }

    private Path logDir() {
        return dir().resolve(LOG);
    }

    private Path anchorDir() {
        return tmp.resolve("anchor");
    }

    /** Writes {@code events} events into a checkpointed, anchored file log of small segments, and closes it. */
    private void write(int events, int offset) {
        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(dir()).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false)
                .checkpoints(KEY).checkpointEvery(16, Duration.ofHours(1))
                .anchor(CheckpointAnchor.directory(anchorDir()))
                .build()) {
            for (int i = 0; i < events; i++) {
                log.record(TckEvents.event(offset + i));
                if (i % 3 == 2) {
                    log.flush();
                }
            }
        }
    }

    private String anchored() throws IOException {
        return CheckpointAnchor.directory(anchorDir()).latest(LOG).orElseThrow();
    }

    /** Both verifiers, with the anchor; returns the Java report. */
    private VerificationReport verifyBoth(String anchoredNote) throws IOException {
        return verifyBoth(anchoredNote, List.of(KEY.verifierKey()));
    }

    /** Both verifiers trusting {@code keys}, with the anchor (and the anchor's retention statement, if any). */
    private VerificationReport verifyBoth(String anchoredNote, List<dev.auditlog.integrity.VerifierKey> keys)
            throws IOException {
        VerificationReport report;
        String retention = anchoredNote == null ? null
                : CheckpointAnchor.directory(anchorDir()).latestRetention(LOG).orElse(null);
        try (FileAuditReader reader = FileAuditReader.open(dir())) {
            LogVerifier.Builder b = LogVerifier.builder(keys.get(0));
            keys.subList(1, keys.size()).forEach(b::alsoTrust);
            if (anchoredNote != null) {
                b.anchor(FixedAnchor.of(anchoredNote, retention));
            }
            report = b.build().verify(reader, LOG);
        }
        IndependentVerifier.assertAgrees(report, dir(), LOG, keys, anchoredNote, retention, tmp.resolve("py"));
        return report;
    }

    // ---------------------------------------------------------------- logs the writer produces: accepted by both

    /** Two instances of log "multi", each on its own chain (FORMAT.md section 13), closed cleanly. */
    private void writeChains() {
        for (String instance : List.of("pod-1", "pod-2")) {
            try (AuditLog log = AuditLog.builder().logId("multi").instanceId(instance)
                    .sink(FileAuditSink.builder(dir()).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                    .shutdownHook(false)
                    .checkpoints(KEY).checkpointEvery(16, Duration.ofHours(1)).build()) {
                for (int i = 0; i < 40; i++) {
                    log.record(TckEvents.event(i));
                }
            }
        }
    }

    private dev.auditlog.integrity.WholeLogVerifier.Report verifyWholeLog() throws IOException {
        try (FileAuditReader reader = FileAuditReader.open(dir())) {
            return new dev.auditlog.integrity.WholeLogVerifier(LogVerifier.builder(KEY.verifierKey()).build())
                    .verify(reader, "multi");
        }
    }

    @Test
    void item13ChainsOfOneLogVerifyInBothAndARemovedOrCutChainIsChainMissingInBoth() throws IOException {
        writeChains();
        assertThat(verifyWholeLog().isValid()).isTrue();
        IndependentVerifier.assumeAvailable();
        IndependentVerifier.Outcome clean = IndependentVerifier.run(dir(), "multi", KEY.verifierKey(), null,
                tmp.resolve("py"));
        assertThat(clean.verdict()).as(clean.out() + clean.err()).isEqualTo("valid");
        assertThat(clean.out()).contains("log multi@pod-1: VALID").contains("log multi@pod-2: VALID");

        // pod-2's chain cut short: its newest segment goes, the registry still holds its last checkpoint
        Path pod2 = dir().resolve("multi@pod-2");
        try (var segments = Files.list(pod2)) {
            List<Path> all = segments.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
            assertThat(all).hasSizeGreaterThan(1);
            Files.delete(all.get(all.size() - 1));
        }
        var cut = verifyWholeLog();
        assertThat(cut.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.CHAIN_MISSING);
        IndependentVerifier.Outcome py = IndependentVerifier.run(dir(), "multi", KEY.verifierKey(), null,
                tmp.resolve("py"));
        assertThat(py.verdict()).as(py.out() + py.err()).isEqualTo("invalid");
        assertThat(py.out()).contains("CHAIN_MISSING chain multi@pod-2").contains("its tail was removed");

        // pod-2's chain removed as a whole: the registry still lists it
        try (var files = Files.list(pod2)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(pod2);
        var removed = verifyWholeLog();
        assertThat(removed.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.CHAIN_MISSING);
        py = IndependentVerifier.run(dir(), "multi", KEY.verifierKey(), null, tmp.resolve("py"));
        assertThat(py.verdict()).as(py.out() + py.err()).isEqualTo("invalid");
        assertThat(py.out()).contains("CHAIN_MISSING chain multi@pod-2").contains("the chain was removed")
                .contains("log multi@pod-1: VALID");
    }

    @Test
    void aPlainRotatedLogWithNonAsciiTextVerifiesCleanInBoth() throws IOException {
        write(60, 0);
        assertThat(Fixtures.segmentFiles(logDir())).hasSizeGreaterThan(2);
        assertThat(Files.readString(Fixtures.segmentFiles(logDir()).get(0))).contains("日本 🎉", "\\u2028");
        VerificationReport report = verifyBoth(anchored());
        assertThat(report.findings()).isEmpty();
    }

    /** Item 3: a cleanly closed log ends with the final checkpoint, so nothing is unsigned and it verifies 0. */
    @Test
    void item3ACleanlyClosedLogEndsWithACheckpointAndVerifiesWithoutWarnings() throws IOException {
        write(20, 0);
        List<SealedRecord> all = Fixtures.readAll(dir(), LOG);
        SealedRecord last = all.get(all.size() - 1);
        assertThat(last.type()).isEqualTo(SealedRecord.TYPE_CHECKPOINT);
        assertThat(all.get(all.size() - 2).event().orElseThrow().action()).isEqualTo("audit.log.stopped");
        assertThat(verifyBoth(null).findings()).isEmpty();
    }

    /** Item 3: records after the last signed checkpoint are a warning naming their range, in both verifiers. */
    @Test
    void item3RecordsAfterTheLastCheckpointAreAWarningWithTheirRange() throws IOException {
        write(20, 0);
        long next = Fixtures.readAll(dir(), LOG).size();
        appendChained(3, n -> eventBody(n)); // a tail appended without the key, the keyless chain recomputed
        VerificationReport report = verifyBoth(null);
        assertThat(report.isValid()).as("%s", report.findings()).isTrue();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.UNSIGNED_TAIL);
            assertThat(f.isWarning()).isTrue();
            assertThat(f.sequence()).isEqualTo(next);
            assertThat(f.position()).isEqualTo(next);
            assertThat(f.message()).contains(next + ".." + (next + 2));
        });
    }

    /**
     * Item 8, what FORMAT.md section 5 guarantees: with periodic checkpoints out of the way, every rotation makes the
     * log seal a checkpoint covering the closed segment (one per rotation, and the final one on close), though not
     * necessarily as the first record of the next segment.
     */
    @Test
    void item8EveryRotatedSegmentIsCoveredByTheCheckpointSealedAfterItsRotation() throws IOException {
        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(dir()).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false)
                .checkpoints(KEY).checkpointEvery(1_000_000, Duration.ofDays(1))
                .build()) {
            for (int i = 0; i < 60; i++) {
                log.record(TckEvents.event(i));
                if (i % 3 == 2) {
                    log.flush();
                }
            }
        }
        List<Path> segs = Fixtures.segmentFiles(logDir());
        List<SealedRecord> all = Fixtures.readAll(dir(), LOG);
        List<SealedRecord> checkpoints = all.stream().filter(r -> r.type().equals(SealedRecord.TYPE_CHECKPOINT))
                .toList();
        int rotated = 0;
        for (Path seg : segs) {
            if (!Files.readString(seg).contains("{\"segmentSeal\":")) {
                continue;
            }
            rotated++;
            List<SealedRecord> inSeg = records(seg);
            long last = inSeg.get(inSeg.size() - 1).sequence();
            assertThat(checkpoints).as("a checkpoint after %s", seg.getFileName())
                    .anySatisfy(c -> assertThat(c.sequence()).isGreaterThan(last));
        }
        assertThat(rotated).isGreaterThan(2);
        assertThat(checkpoints).as("one per rotation and the final one").hasSizeGreaterThanOrEqualTo(rotated + 1);
        assertThat(all.get(all.size() - 1).type()).isEqualTo(SealedRecord.TYPE_CHECKPOINT);
        assertThat(verifyBoth(null).findings()).isEmpty();
    }

    /** Item 1: FILE-FORMAT.md rule 4, an abandoned segment whose successor overlaps it: accepted, with a warning. */
    @Test
    void item1AnAbandonedSegmentOverlappedByTheNextVerifies() throws IOException {
        write(30, 0);
        List<Path> segs = Fixtures.segmentFiles(logDir());
        Path last = segs.get(segs.size() - 1);
        List<SealedRecord> inLast = records(last);
        assertThat(inLast).as("the last segment holds several records").hasSizeGreaterThan(2);
        long firstUnforced = inLast.get(1).sequence();
        // As after a failed force: the marker names the first unforced record; the next writer copies the records from
        // there into a new segment that overlaps the abandoned one.
        Files.writeString(Abandonment.marker(last), Long.toString(firstUnforced));
        write(5, 100);
        Path next = logDir().resolve(SegmentFormat.fileName(firstUnforced));
        assertThat(next).exists();
        assertThat(Files.readString(next)).contains("\"lastSequence\":" + (firstUnforced - 1));

        VerificationReport report = verifyBoth(anchored());
        assertThat(report.isValid()).as("%s", report.findings()).isTrue();
        assertThat(report.findings()).extracting(Finding::kind).containsOnly(Finding.Kind.RECOVERED);
        assertThat(report.findings()).anySatisfy(f -> assertThat(f.location()).isEqualTo(last.getFileName()
                .toString()));
    }

    @Test
    void aRecoveredTornWriteIsAWarningInBoth() throws IOException {
        write(20, 0);
        List<Path> segs = Fixtures.segmentFiles(logDir());
        Files.write(segs.get(segs.size() - 1), ("{\"v\":1,\"log\":\"" + LOG + "\",\"seq\":999,\"seal")
                .getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertThat(verifyBoth(anchored()).findings()).extracting(Finding::kind).containsExactly(Finding.Kind.RECOVERED);
        write(3, 50); // reopen: quarantined and recorded
        VerificationReport report = verifyBoth(anchored());
        assertThat(report.isValid()).isTrue();
        assertThat(report.findings()).extracting(Finding::kind).containsExactly(Finding.Kind.RECOVERED);
    }

    @Test
    void aPrunedLogVerifiesInBoth() throws IOException {
        write(60, 0);
        long first;
        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(dir()).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false).checkpoints(KEY).checkpointEvery(16, Duration.ofHours(1))
                .anchor(CheckpointAnchor.directory(anchorDir())).build()) {
            first = log.prune(40).firstKept();
        }
        assertThat(first).isPositive();
        assertThat(Fixtures.segmentFiles(logDir()).get(0).getFileName().toString())
                .isEqualTo(SegmentFormat.fileName(first));
        VerificationReport report = verifyBoth(anchored());
        assertThat(report.findings()).isEmpty();

        // Issue 11 item 2: the oldest segments deleted without the key, a checkpoint record's note copied beside the
        // log as its start: both verifiers reject it.
        List<Path> segs = Fixtures.segmentFiles(logDir());
        long cut = Long.parseLong(segs.get(1).getFileName().toString().substring(0, 20));
        SealedRecord checkpoint;
        try (FileAuditReader r = FileAuditReader.open(dir());
             java.util.stream.Stream<SealedRecord> s = r.read(LOG, cut)) {
            checkpoint = s.filter(x -> x.type().equals("checkpoint")).findFirst().orElseThrow();
        }
        Files.delete(logDir().resolve("pruned.retention"));
        Files.writeString(logDir().resolve("pruned.checkpoint"), checkpoint.checkpointNote().orElseThrow());
        StringBuilder range = new StringBuilder();
        checkpoint.checkpointRange().orElseThrow().forEach(h -> range.append(java.util.Base64.getEncoder()
                .encodeToString(h)).append('\n'));
        Files.writeString(logDir().resolve("pruned.range"), range);
        assertThat(verifyBoth(anchored()).isValid()).isFalse();
    }

    @Test
    void aRotatedKeyVerifiesInBoth() throws IOException {
        write(20, 0);
        SigningKey next = Ed25519Keys.generate("auditlog/conformance", new SecureRandom());
        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(dir()).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false).checkpoints(next).rotateKeyFrom(KEY).checkpointEvery(16, Duration.ofHours(1))
                .anchor(CheckpointAnchor.directory(anchorDir())).build()) {
            for (int i = 0; i < 20; i++) {
                log.record(TckEvents.event(100 + i));
            }
        }
        VerificationReport both = verifyBoth(anchored(), List.of(KEY.verifierKey(), next.verifierKey()));
        assertThat(both.findings()).isEmpty();
        assertThat(both.keyRanges()).hasSize(2);
        assertThat(verifyBoth(anchored(), List.of(next.verifierKey())).isValid()).as("the new key alone").isFalse();
    }

    // ---------------------------------------------------------------- segment format 1 is still read

    /**
     * A log written in segment format 1 (whole-file SHA-256 in footers and links) verifies in both verifiers, its
     * digests are checked, and a writer continues it in format 2.
     */
    @Test
    void segmentFormat1StillVerifiesItsDigestsAreCheckedAndAWriterContinuesInFormat2() throws IOException {
        List<SealedRecord> records = Fixtures.records(LOG, 12);
        Files.createDirectories(logDir());
        Path s0 = logDir().resolve(SegmentFormat.fileName(0));
        Path s1 = logDir().resolve(SegmentFormat.fileName(6));
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        a.write(SegmentFormat.header(1, LOG, 0, null));
        a.write('\n');
        for (SealedRecord r : records.subList(0, 6)) {
            r.writeTo(a);
            a.write('\n');
        }
        String before = HEX.formatHex(sha256(a.toByteArray()));
        String lastChain = HEX.formatHex(records.get(5).chainHash());
        a.write(SegmentFormat.footer(new SegmentFormat.Footer(LOG, 0, 5, 6, lastChain, before)));
        a.write('\n');
        Files.write(s0, a.toByteArray());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(SegmentFormat.header(1, LOG, 6, new Segment.Previous(s0.getFileName().toString(), 5, lastChain, 6,
                HEX.formatHex(sha256(a.toByteArray())))));
        b.write('\n');
        for (SealedRecord r : records.subList(6, 12)) {
            r.writeTo(b);
            b.write('\n');
        }
        Files.write(s1, b.toByteArray());
        assertThat(Files.readString(s1)).startsWith("{\"segment\":{\"v\":1,").contains("\"sha256\":\"");
        // No checkpoints in these records: a warning, in both.
        assertThat(verifyBoth(null).findings()).extracting(Finding::kind).containsExactly(Finding.Kind.NO_CHECKPOINT);

        byte[] altered = a.toByteArray();
        altered[altered.length - 3] ^= 1; // a digit of the footer's sha256
        Files.write(s0, altered);
        VerificationReport bad = verifyBoth(null);
        assertThat(bad.firstFinding()).hasValueSatisfying(f -> assertThat(f.kind())
                .isEqualTo(Finding.Kind.SEGMENT_MISMATCH));
        Files.write(s0, a.toByteArray());

        write(40, 0); // the writer resumes the format 1 segment and goes on in format 2
        List<Path> segs = Fixtures.segmentFiles(logDir());
        assertThat(Files.readString(segs.get(segs.size() - 1))).startsWith("{\"segment\":{\"v\":2,");
        assertThat(Files.readString(s1)).startsWith("{\"segment\":{\"v\":1,");
        VerificationReport mixed = verifyBoth(anchored());
        assertThat(mixed.isValid()).as("%s", mixed.findings()).isTrue();
        assertThat(mixed.findings()).extracting(Finding::kind).doesNotContain(Finding.Kind.SEGMENT_MISMATCH);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- item 4: anchor naming a log the store lacks

    @Test
    void item4AnAnchorNamingALogMissingFromTheStoreIsATruncationAtZero() throws IOException {
        write(10, 0);
        String note = anchored();
        Files.createDirectories(tmp.resolve("empty-store"));
        try (FileAuditReader reader = FileAuditReader.open(tmp.resolve("empty-store"))) {
            VerificationReport report = LogVerifier.builder(KEY.verifierKey()).anchor(FixedAnchor.of(note)).build()
                    .verify(reader, LOG);
            assertThat(report.isValid()).isFalse();
            assertThat(report.firstFinding()).hasValueSatisfying(f -> {
                assertThat(f.kind()).isEqualTo(Finding.Kind.TRUNCATED);
                assertThat(f.sequence()).isZero();
            });
        }
    }

    // ---------------------------------------------------------------- item 5: what the writer cannot produce

    /**
     * Each record is chained correctly after the log's last record (so only the format can reject it) and must be
     * reported MALFORMED by the Java verifier, naming the rule, and invalid by the Python one.
     */
    @Test
    void item5NonCanonicalRecordsAreRejectedNamingTheRule() throws IOException {
        write(12, 0);
        Path pristine = tmp.resolve("pristine");
        copyDir(logDir(), pristine);
        Map<String, String[]> cases = new LinkedHashMap<>();
        // name -> { body transformation of a valid event body, expected words of the rule }
        cases.put("invalid UTF-8", new String[] {"\"user-", "\"user-\u0000", "invalid UTF-8"});
        cases.put("unknown type", new String[] {"\"type\":\"event\",\"event\":", "\"type\":\"evnt\",\"evnt\":",
                "unknown record type"});
        cases.put("impossible sealedAt", new String[] {"SEALED", "2026-13-45T99:99:99Z", "sealedAt"});
        cases.put("2-digit fraction", new String[] {"SEALED", "2026-11-22T09:15:31.12Z", "sealedAt"});
        cases.put("zero fraction", new String[] {"SEALED", "2026-11-22T09:15:31.000Z", "fraction"});
        cases.put("raw U+2028", new String[] {"\"user-", "\"user-\u2028", "U+2028"});
        cases.put("raw U+007F", new String[] {"\"user-", "\"user-\u007F", "U+007F"});
        cases.put("\\/ escape", new String[] {"\"user-", "\"user\\/", "\\/"});
        cases.put("lowercase \\u escape", new String[] {"\"user-", "\"user\\u001f", "uppercase"});
        cases.put("needless \\u escape", new String[] {"\"user-", "\"user\\u0041", "not an escape the writer uses"});
        cases.put("duplicated member", new String[] {"\"severity\":\"INFO\"",
                "\"severity\":\"INFO\",\"severity\":\"INFO\"", "duplicated member"});
        cases.put("whitespace", new String[] {"\"severity\":\"INFO\"", "\"severity\": \"INFO\"", "whitespace"});
        cases.put("fraction number", new String[] {"\"index\":", "\"index\":1.5,\"x\":", "integers"});
        cases.put("null", new String[] {"\"severity\":\"INFO\"", "\"severity\":\"INFO\",\"tenantId\":null", "null"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            copyDir(pristine, logDir());
            String[] t = c.getValue();
            long seq = Fixtures.readAll(dir(), LOG).size();
            appendChained(1, n -> {
                String body = eventBody(n);
                if (t[0].equals("SEALED")) {
                    return body.replaceFirst("\"sealedAt\":\"[^\"]*\"", "\"sealedAt\":\"" + t[1] + "\"");
                }
                assertThat(body).as(c.getKey()).contains(t[0]);
                return body.replaceFirst(java.util.regex.Pattern.quote(t[0]),
                        java.util.regex.Matcher.quoteReplacement(t[1]));
            }, c.getKey().equals("invalid UTF-8"));
            VerificationReport report = verifyBoth(null);
            assertThat(report.isValid()).as(c.getKey()).isFalse();
            assertThat(report.firstFinding()).as(c.getKey()).hasValueSatisfying(f -> {
                assertThat(f.kind()).isEqualTo(Finding.Kind.MALFORMED);
                assertThat(f.message()).contains(t[2]);
                assertThat(f.position()).isEqualTo(seq);
                assertThat(f.sequence()).isEqualTo(seq);
            });
        }
    }

    // ---------------------------------------------------------------- item 9: position and claimed sequence

    @Test
    void item9AFindingNamesBothThePositionAndTheClaimedSequence() throws IOException {
        write(12, 0);
        long position = Fixtures.readAll(dir(), LOG).size();
        // A record that claims sequence 3 where record `position` belongs, chained after the last one.
        appendChained(1, n -> eventBody(n).replaceFirst("\"seq\":" + n, "\"seq\":3"));
        VerificationReport report = verifyBoth(null);
        assertThat(report.firstFinding()).as("%s", report.findings()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.SEQUENCE_REPEAT);
            assertThat(f.position()).isEqualTo(position);
            assertThat(f.sequence()).isEqualTo(3);
        });
    }

    // ---------------------------------------------------------------- helpers

    private interface BodyMaker {
        String body(long seq);
    }

    /** A valid event record body for sequence {@code seq}: a copy of the first event's body, renumbered. */
    private String eventBody(long seq) {
        try {
            SealedRecord first = Fixtures.readAll(dir(), LOG).stream().filter(r -> r.type().equals("event")
                    && r.lineText().contains("\"user-")).findFirst().orElseThrow();
            String body = new String(first.line(), 0, first.bodyLength(), StandardCharsets.UTF_8);
            return body.replaceFirst("\"seq\":[0-9]+", "\"seq\":" + seq);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void appendChained(int count, BodyMaker maker) throws IOException {
        appendChained(count, maker, false);
    }

    /**
     * Appends {@code count} records to the last segment, each chained to the stored record before it (what anyone can
     * do without the key). With {@code badUtf8}, NUL characters in the body become the invalid byte 0xFF.
     */
    private void appendChained(int count, BodyMaker maker, boolean badUtf8) throws IOException {
        List<SealedRecord> all = Fixtures.readAll(dir(), LOG);
        byte[] previous = all.get(all.size() - 1).chainHash();
        long seq = all.get(all.size() - 1).sequence() + 1;
        List<Path> segs = Fixtures.segmentFiles(logDir());
        Path last = segs.get(segs.size() - 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++, seq++) {
            byte[] body = maker.body(seq).getBytes(StandardCharsets.UTF_8);
            if (badUtf8) {
                for (int k = 0; k < body.length; k++) {
                    if (body[k] == 0) {
                        body[k] = (byte) 0xFF;
                    }
                }
            }
            byte[] chain = ChainHash.next(previous, ChainHash.leaf(body));
            out.write(body);
            out.write((",\"chain\":\"" + HEX.formatHex(chain) + "\"}\n").getBytes(StandardCharsets.US_ASCII));
            previous = chain;
        }
        Files.setPosixFilePermissions(last, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // A last segment may have been rotated on close; without its footer it is the open last segment again (the
        // footer of the last segment is named by no header).
        String text = Files.readString(last, StandardCharsets.UTF_8);
        int footer = text.lastIndexOf("\n{\"segmentSeal\":");
        if (footer >= 0) {
            Files.writeString(last, text.substring(0, footer + 1), StandardCharsets.UTF_8);
        }
        Files.write(last, out.toByteArray(), StandardOpenOption.APPEND);
    }

    private static List<SealedRecord> records(Path segment) throws IOException {
        return Files.readAllLines(segment, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{\"v\":"))
                .map(l -> SealedRecord.parse(l.getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static void copyDir(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (var s = Files.list(to)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
                Files.setPosixFilePermissions(to.resolve(p.getFileName()),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
