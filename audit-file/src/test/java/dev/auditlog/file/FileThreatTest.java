package dev.auditlog.file;

import dev.auditlog.AuditLog;
import dev.auditlog.spi.ChainHash;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per row of {@code docs/THREATS.md}: a checkpointed, anchored file log of several segments is tampered
 * with on disk, as an attacker (or bit rot) would, and {@link LogVerifier} over a {@link FileAuditReader}, pinned to
 * the public key and the anchored checkpoint, must report it, naming the first bad sequence number.
 */
class FileThreatTest {
    private static final SigningKey KEY = Ed25519Keys.generate("auditlog/threat", new SecureRandom());
    private static final String LOG = "threat";
    private static final int EVENTS = 100;
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    private Path dir;
    private Path logDir;
    private Path anchorDir;

    @BeforeEach
    void writeTheLog() throws IOException {
        dir = tmp.resolve("logs");
        logDir = dir.resolve(LOG);
        anchorDir = tmp.resolve("anchor");
        write(dir, LOG, anchorDir, EVENTS, 0);
        assertThat(segments(logDir)).as("several segments").hasSizeGreaterThanOrEqualTo(5);
    }

    // ---------------------------------------------------------------- the threats, in the order of THREATS.md

    @Test
    void anUntouchedLogVerifiesClean() throws IOException {
        VerificationReport report = verify(dir, anchor());
        assertThat(report.findings()).isEmpty();
        assertThat(report.isValid()).isTrue();
        assertThat(report.hasWarnings()).isFalse();
        List<SealedRecord> records = records(logDir);
        assertThat(report.records()).isEqualTo(records.size());
        assertThat(report.checkpoints()).isEqualTo(records.stream().filter(r -> r.type().equals("checkpoint")).count())
                .isGreaterThanOrEqualTo(EVENTS / 10);
        assertThat(report.anchoredSize()).isEqualTo(anchoredSize()).isGreaterThan(EVENTS);
    }

    @Test
    void anEditIsFound() throws IOException {
        Loc at = middleEvent();
        edit(at, at.line().replace("\"user-", "\"mallory-"));

        VerificationReport report = verify(dir, anchor());
        assertInvalid(report, Finding.Kind.CHAIN_MISMATCH, at.seq());
        // The edited record's leaf changed: the next checkpoint and the anchor see it too. (Segment format 2 states no
        // whole-file digest, so the segment structure itself is untouched: docs/FILE-FORMAT.md.)
        assertThat(kinds(report)).contains(Finding.Kind.CHECKPOINT_MISMATCH, Finding.Kind.ANCHOR_MISMATCH)
                .doesNotContain(Finding.Kind.SEGMENT_MISMATCH);
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.CHAIN_MISMATCH).singleElement()
                .satisfies(f -> assertThat(f.location()).startsWith(at.file().getFileName() + ":"));
    }

    @Test
    void anInsertionIsFound() throws IOException {
        Loc at = middleEvent();
        // A forged record with the next sequence number, correctly linked to its predecessor (no key needed for that).
        SealedRecord before = recordAt(at.seq() - 1);
        String forgedBody = body(at.line()).replace("\"user-", "\"mallory-");
        String forged = seal(forgedBody, before.chainHash());
        List<String> lines = read(at.file());
        lines.add(at.index(), forged);
        write(at.file(), lines);

        VerificationReport report = verify(dir, anchor());
        // The forged record passes; the genuine one with its number comes next: a repeat whose link does not fit.
        assertInvalid(report, Finding.Kind.SEQUENCE_REPEAT, at.seq());
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.CHAIN_MISMATCH)
                .extracting(Finding::sequence).containsExactly(at.seq());
    }

    @Test
    void aDeletionIsFound() throws IOException {
        Loc at = middleEvent();
        List<String> lines = read(at.file());
        lines.remove(at.index());
        write(at.file(), lines);

        VerificationReport report = verify(dir, anchor());
        // The verifier names the record after the hole (the first record that is there and out of place).
        assertInvalid(report, Finding.Kind.SEQUENCE_GAP, at.seq() + 1);
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.SEQUENCE_GAP).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("expected sequence " + at.seq()));
        assertThat(kinds(report)).contains(Finding.Kind.CHAIN_MISMATCH);
    }

    @Test
    void aReorderIsFound() throws IOException {
        Loc at = middleEvent();
        List<String> lines = read(at.file());
        String a = lines.get(at.index());
        lines.set(at.index(), lines.get(at.index() + 1));
        lines.set(at.index() + 1, a);
        write(at.file(), lines);

        VerificationReport report = verify(dir, anchor());
        // Storage order is now s+1, s. The first record out of place is s+1, where s was expected: a gap, then s
        // repeats.
        assertInvalid(report, Finding.Kind.SEQUENCE_GAP, at.seq() + 1);
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.SEQUENCE_REPEAT)
                .extracting(Finding::sequence).containsExactly(at.seq());
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.CHAIN_MISMATCH)
                .extracting(Finding::sequence).containsExactly(at.seq() + 1, at.seq(), at.seq() + 2);
    }

    @Test
    void aCutOffTailIsFoundAgainstTheAnchor() throws IOException {
        String anchored = anchor();
        List<SealedRecord> all = records(logDir);
        Path copy = tmp.resolve("copy");
        copyLog(logDir, copy.resolve(LOG));

        // 1. The last three records cut off.
        long firstMissing = all.size() - 3;
        assertThat(anchoredSize()).isGreaterThan(firstMissing);
        cutAt(logDir, firstMissing);
        VerificationReport report = verify(dir, anchored);
        assertInvalid(report, Finding.Kind.TRUNCATED, firstMissing);
        // The records left after the last checkpoint are also an unsigned tail (a warning).
        assertThat(kinds(report)).isSubsetOf(Finding.Kind.TRUNCATED, Finding.Kind.UNSIGNED_TAIL);
        assertThat(verify(dir, null).isValid()).as("the chain alone cannot tell").isTrue();

        // 2. The last segment removed.
        List<Path> segs = segments(copy.resolve(LOG));
        Path last = segs.get(segs.size() - 1);
        long lastFirst = firstOf(last);
        Files.delete(last);
        VerificationReport report2 = verify(copy, anchored);
        assertInvalid(report2, Finding.Kind.TRUNCATED, lastFirst);
        assertThat(kinds(report2)).isSubsetOf(Finding.Kind.TRUNCATED, Finding.Kind.UNSIGNED_TAIL);
    }

    @Test
    void aMissingSegmentIsFound() throws IOException {
        List<Path> segs = segments(logDir);
        int k = segs.size() / 2;
        Path gone = segs.get(k);
        long nextFirst = firstOf(segs.get(k + 1));
        Files.delete(gone);

        VerificationReport report = verify(dir, anchor());
        assertThat(kinds(report)).contains(Finding.Kind.SEGMENT_MISMATCH, Finding.Kind.SEQUENCE_GAP);
        // The next segment's header names the missing file (checked before its records); both findings name the
        // first record after the hole.
        assertInvalid(report, Finding.Kind.SEGMENT_MISMATCH, nextFirst);
        assertThat(report.firstFinding().orElseThrow().message()).contains(gone.getFileName().toString());
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.SEQUENCE_GAP)
                .extracting(Finding::sequence).containsExactly(nextFirst);
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.SEQUENCE_GAP).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("expected sequence " + firstOf(gone)));
    }

    @Test
    void aRewriteWithoutTheKeyIsFoundByTheNextCheckpoint() throws IOException {
        Loc at = middleEvent();
        long nextCheckpoint = records(logDir).stream().filter(r -> r.type().equals("checkpoint"))
                .mapToLong(SealedRecord::sequence).filter(s -> s > at.seq()).min().orElseThrow();
        edit(at, at.line().replace("\"user-", "\"mallory-"));
        // The attacker recomputes every chain hash from the edit on, and every seal and header after it: the chain
        // and the segment structure are consistent again.
        rechainFrom(at.seq());
        assertThat(verify(dir, null, false).isValid()).as("without the key the chain alone looks fine").isTrue();

        VerificationReport report = verify(dir, anchor());
        assertInvalid(report, Finding.Kind.CHECKPOINT_MISMATCH, nextCheckpoint);
        assertThat(kinds(report)).doesNotContain(Finding.Kind.CHAIN_MISMATCH, Finding.Kind.SEGMENT_MISMATCH,
                Finding.Kind.SEQUENCE_GAP, Finding.Kind.SEQUENCE_REPEAT);
        assertThat(kinds(report)).contains(Finding.Kind.ANCHOR_MISMATCH);
    }

    @Test
    void aRewriteWithTheKeyIsFoundByTheAnchor() throws IOException {
        String anchored = anchor();
        long anchoredSize = anchoredSize();
        // An insider with the key writes another history of the same log id and length somewhere else.
        Path forged = tmp.resolve("forged");
        write(forged, LOG, tmp.resolve("forged-anchor"), EVENTS, 1000);
        assertThat(records(forged.resolve(LOG)).size()).isGreaterThan((int) anchoredSize);
        assertThat(verify(forged, null).findings()).as("it is a perfectly good log on its own").isEmpty();

        VerificationReport report = verify(forged, anchored);
        // The roots are compared when the tree reaches the anchored size: the finding names the last record the
        // anchor covers (the verifier cannot tell which of them differ).
        assertInvalid(report, Finding.Kind.ANCHOR_MISMATCH, anchoredSize - 1);
        assertThat(kinds(report)).containsExactly(Finding.Kind.ANCHOR_MISMATCH);
    }

    @Test
    void aReplacedLogIsFoundByTheAnchor() throws IOException {
        String anchored = anchor();

        // 1. Replaced by a shorter log of the same id, signed with the key.
        Path shorter = tmp.resolve("shorter");
        write(shorter, LOG, tmp.resolve("shorter-anchor"), 30, 500);
        int shorterSize = records(shorter.resolve(LOG)).size();
        VerificationReport report = verify(shorter, anchored);
        assertInvalid(report, Finding.Kind.TRUNCATED, shorterSize);
        assertThat(verify(shorter, null).isValid()).isTrue();

        // 2. Replaced by an empty log.
        Path empty = tmp.resolve("empty");
        copyLog(logDir, empty.resolve(LOG));
        for (Path p : segments(empty.resolve(LOG))) {
            Files.delete(p);
        }
        VerificationReport report2 = verify(empty, anchored);
        assertInvalid(report2, Finding.Kind.TRUNCATED, 0);

        // 3. Replaced by the files of another log.
        Path other = tmp.resolve("other");
        write(other, "other", tmp.resolve("other-anchor"), EVENTS, 0);
        for (Path p : segments(logDir)) {
            writable(p);
            Files.delete(p);
        }
        for (Path p : segments(other.resolve("other"))) {
            Files.copy(p, logDir.resolve(p.getFileName()));
        }
        VerificationReport report3 = verify(dir, anchored);
        assertThat(report3.isValid()).isFalse();
        assertThat(kinds(report3)).contains(Finding.Kind.WRONG_LOG, Finding.Kind.ANCHOR_MISMATCH);
        assertThat(report3.firstFinding()).hasValueSatisfying(f -> assertThat(f.sequence()).isZero());
        assertThat(report3.findings()).filteredOn(f -> f.kind() == Finding.Kind.WRONG_LOG).first()
                .satisfies(f -> assertThat(f.sequence()).isZero());
    }

    @Test
    void aRecordSplicedFromAnotherLogIsFound() throws IOException {
        Loc at = middleEvent();
        Path other = tmp.resolve("other");
        write(other, "other", tmp.resolve("other-anchor"), EVENTS, 0);
        String foreign = records(other.resolve("other")).stream().filter(r -> r.sequence() == at.seq())
                .findFirst().orElseThrow().lineText();
        edit(at, foreign);

        VerificationReport report = verify(dir, anchor());
        assertInvalid(report, Finding.Kind.WRONG_LOG, at.seq());
        // The next record links to the chain hash stored in the foreign record, so it does not fit either.
        assertThat(report.findings()).filteredOn(f -> f.kind() == Finding.Kind.CHAIN_MISMATCH)
                .extracting(Finding::sequence).containsExactly(at.seq(), at.seq() + 1);
    }

    @Test
    void aTornWriteIsQuarantinedAndRecorded() throws IOException {
        List<Path> segs = segments(logDir);
        Path last = segs.get(segs.size() - 1);
        long offset = Files.size(last);
        long next = records(logDir).size();
        byte[] torn = ("{\"v\":1,\"log\":\"" + LOG + "\",\"seq\":" + next + ",\"sealedAt\":\"2026-")
                .getBytes(StandardCharsets.US_ASCII);
        Files.write(last, torn, StandardOpenOption.APPEND);
        // Before the log is reopened the verifier sees the torn line and reports it as a warning only.
        VerificationReport before = verify(dir, anchor());
        assertThat(before.isValid()).isTrue();
        assertThat(kinds(before)).containsExactly(Finding.Kind.RECOVERED);

        write(dir, LOG, anchorDir, 5, EVENTS); // reopen: the sink quarantines the torn line and records it

        Path quarantine = logDir.resolve(last.getFileName() + ".quarantine-" + offset);
        assertThat(quarantine).exists();
        assertThat(Files.readAllBytes(quarantine)).isEqualTo(torn);
        SealedRecord recovered = records(logDir).stream().filter(r -> r.event().map(e -> e.action()
                .equals("audit.file.recovered")).orElse(false)).findFirst().orElseThrow();
        assertThat(recovered.event().orElseThrow().attributes()).containsEntry("offset", offset)
                .containsEntry("quarantine", quarantine.getFileName().toString());

        VerificationReport report = verify(dir, anchor());
        assertThat(report.isValid()).isTrue();
        assertThat(report.hasWarnings()).isTrue();
        assertThat(report.firstFinding()).isEmpty();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.RECOVERED);
            assertThat(f.sequence()).isEqualTo(recovered.sequence());
        });
        assertThat(report.anchoredSize()).isGreaterThan(recovered.sequence());
    }

    @Test
    void aFlippedBitIsFound() throws IOException {
        String anchored = anchor();
        Path pristine = tmp.resolve("pristine");
        copyLog(logDir, pristine.resolve(LOG));

        // 1. Inside a record's body: still a well-formed record, but its chain hash does not match.
        Loc at = middleEvent();
        int i = at.line().indexOf("\"user-") + 1;
        flip(at, i, 0); // 'u' (0x75) -> 't' (0x74)
        VerificationReport report = verify(dir, anchored);
        assertInvalid(report, Finding.Kind.CHAIN_MISMATCH, at.seq());

        // 2. In the version: the record no longer parses.
        copyLog(pristine.resolve(LOG), logDir);
        flip(at, "{\"v\":".length(), 0); // '1' -> '0'
        VerificationReport report2 = verify(dir, anchored);
        assertInvalid(report2, Finding.Kind.MALFORMED, at.seq());

        // 3. Anywhere: any single flipped bit in any segment makes the log invalid, except, today, the last byte of the
        // last segment (a bug, see cuttingOffTheAnchoredCheckpointRecordItselfIsFound).
        List<Path> segs = segments(pristine.resolve(LOG));
        Random random = new Random(20260101L);
        for (int round = 0; round < 40; round++) {
            copyLog(pristine.resolve(LOG), logDir);
            Path file = logDir.resolve(segs.get(random.nextInt(segs.size())).getFileName());
            byte[] bytes = Files.readAllBytes(file);
            int pos = random.nextInt(bytes.length);
            boolean lastByteOfLog = file.getFileName().equals(segs.get(segs.size() - 1).getFileName())
                    && pos == bytes.length - 1;
            if (lastByteOfLog) {
                continue; // see cuttingOffTheAnchoredCheckpointRecordItselfIsFound
            }
            int bit = random.nextInt(8);
            bytes[pos] ^= (byte) (1 << bit);
            writable(file);
            Files.write(file, bytes);
            // Every eighth flip also through the independent verifier: the same verdict, within the CI time budget.
            VerificationReport r = verify(dir, anchored, true, round % 8 == 0);
            assertThat(r.isValid()).as("bit %d of byte %d of %s flipped: %s", bit, pos, file.getFileName(),
                    r.findings()).isFalse();
        }
    }

    @Test
    void cuttingOffTheAnchoredCheckpointRecordItselfIsFound() throws IOException {
        String anchored = anchor();
        long n = anchoredSize();
        Path copy = tmp.resolve("copy");
        copyLog(logDir, copy.resolve(LOG));

        cutAt(logDir, n); // only the last record, the checkpoint that was anchored, goes
        assertInvalid(verify(dir, anchored), Finding.Kind.TRUNCATED, n);

        List<Path> segs = segments(copy.resolve(LOG));
        Path last = segs.get(segs.size() - 1);
        byte[] bytes = Files.readAllBytes(last);
        bytes[bytes.length - 1] ^= 1; // the last record's '\n' becomes 0x0B: it now looks like a torn write
        writable(last);
        Files.write(last, bytes);
        assertInvalid(verify(copy, anchored), Finding.Kind.TRUNCATED, n);
    }

    // ---------------------------------------------------------------- helpers

    /** Writes {@code events} events (TckEvents from {@code offset}) into a checkpointed, anchored file log. */
    private static void write(Path dir, String logId, Path anchorDir, int events, int offset) {
        try (AuditLog log = AuditLog.builder().singleChain().logId(logId)
                .sink(FileAuditSink.builder(dir).segmentSize(FileAuditSink.Builder.MIN_SEGMENT_SIZE).build())
                .shutdownHook(false)
                .checkpoints(KEY).checkpointEvery(10, Duration.ofHours(1))
                .anchor(CheckpointAnchor.directory(anchorDir))
                .build()) {
            for (int i = 0; i < events; i++) {
                log.record(TckEvents.event(offset + i));
                if (i % 2 == 1) {
                    log.flush(); // small batches: the sink rotates after a batch, so this makes several segments
                }
            }
        }
    }

    private String anchor() throws IOException {
        return CheckpointAnchor.directory(anchorDir).latest(LOG).orElseThrow();
    }

    private long anchoredSize() throws IOException {
        try {
            return Checkpoint.verify(anchor(), KEY.verifierKey()).size();
        } catch (dev.auditlog.integrity.NoteVerificationException e) {
            throw new AssertionError(e);
        }
    }

    private static VerificationReport verify(Path dir, String anchored) throws IOException {
        return verify(dir, anchored, true);
    }

    /** Through the one verification path; without the key only the chain can be checked (the engine alone). */
    private static VerificationReport verify(Path dir, String anchored, boolean withKey) throws IOException {
        return verify(dir, anchored, withKey, true);
    }

    /** With {@code crossCheck}, the independent verifier must reach the same verdict (see {@link IndependentVerifier}). */
    private static VerificationReport verify(Path dir, String anchored, boolean withKey, boolean crossCheck)
            throws IOException {
        try (FileAuditReader reader = FileAuditReader.open(dir)) {
            if (!withKey) {
                ChainVerifier v = ChainVerifier.builder(LOG).build();
                v.readFrom(reader);
                return v.finish();
            }
            LogVerifier.Builder b = LogVerifier.builder(KEY.verifierKey());
            if (anchored != null) {
                b.anchor(FixedAnchor.of(anchored));
            }
            VerificationReport report = b.build().verify(reader, LOG);
            // Every case of the corpus also goes through the independent verifier (tools/verify), which must agree.
            if (crossCheck) {
                IndependentVerifier.assertAgrees(report, dir, LOG, KEY.verifierKey(), anchored,
                        dir.resolveSibling(dir.getFileName() + "-py"));
            }
            return report;
        }
    }

    private static void assertInvalid(VerificationReport report, Finding.Kind kind, long firstBadSequence) {
        assertThat(report.isValid()).as("%s", report.findings()).isFalse();
        assertThat(kinds(report)).contains(kind);
        assertThat(report.firstFinding()).as("%s", report.findings()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(kind);
            assertThat(f.sequence()).isEqualTo(firstBadSequence);
        });
    }

    private static List<Finding.Kind> kinds(VerificationReport report) {
        return report.findings().stream().map(Finding::kind).distinct().toList();
    }

    /** A record line at {@code index} (0 = header) of {@code file}. */
    private record Loc(Path file, int index, String line, long seq) {
    }

    /**
     * An event record in a middle segment, neither the first nor the last record of its segment, whose neighbours
     * in the file are records too.
     */
    private Loc middleEvent() throws IOException {
        List<Path> segs = segments(logDir);
        for (int k = segs.size() / 2; k < segs.size() - 1; k++) {
            List<String> lines = read(segs.get(k));
            for (int i = 2; i + 1 < lines.size(); i++) {
                if (isRecord(lines.get(i - 1)) && isRecord(lines.get(i + 1)) && isRecord(lines.get(i))) {
                    SealedRecord r = parse(lines.get(i));
                    if (r.type().equals("event") && lines.get(i).contains("\"user-")) {
                        return new Loc(segs.get(k), i, lines.get(i), r.sequence());
                    }
                }
            }
        }
        throw new AssertionError("no event record in the middle of a middle segment");
    }

    private Loc find(long seq) throws IOException {
        for (Path p : segments(logDir)) {
            List<String> lines = read(p);
            for (int i = 0; i < lines.size(); i++) {
                if (isRecord(lines.get(i)) && parse(lines.get(i)).sequence() == seq) {
                    return new Loc(p, i, lines.get(i), seq);
                }
            }
        }
        throw new AssertionError("no record " + seq);
    }

    private SealedRecord recordAt(long seq) throws IOException {
        return parse(find(seq).line());
    }

    private static void edit(Loc at, String newLine) throws IOException {
        assertThat(newLine).isNotEqualTo(at.line());
        List<String> lines = read(at.file());
        assertThat(lines.get(at.index())).isEqualTo(at.line());
        lines.set(at.index(), newLine);
        write(at.file(), lines);
    }

    /**
     * Cuts the log off before {@code firstMissing} as an attacker would: later segments are deleted, and the segment
     * holding it loses its records from there on and its seal (it becomes the unsealed last segment).
     */
    private static void cutAt(Path logDir, long firstMissing) throws IOException {
        for (Path p : segments(logDir)) {
            if (firstOf(p) >= firstMissing) {
                writable(p);
                Files.delete(p);
                continue;
            }
            List<String> lines = read(p);
            List<String> kept = lines.stream().filter(l -> !isRecord(l) || parse(l).sequence() < firstMissing)
                    .toList();
            if (kept.size() < lines.size()) {
                write(p, kept.stream().filter(l -> !l.startsWith("{\"segmentSeal\":")).toList());
            }
        }
    }

    /** Flips bit {@code bit} of byte {@code index} of the record line at {@code at}. */
    private static void flip(Loc at, int index, int bit) throws IOException {
        byte[] bytes = Files.readAllBytes(at.file());
        int lineStart = 0;
        for (int n = 0; n < at.index(); n++) {
            while (bytes[lineStart] != '\n') {
                lineStart++;
            }
            lineStart++;
        }
        bytes[lineStart + index] ^= (byte) (1 << bit);
        writable(at.file());
        Files.write(at.file(), bytes);
    }

    /**
     * Recomputes the chain hash of every record from {@code fromSeq} on, and then every segment header's link and
     * every seal, as an attacker without the signing key can.
     */
    private void rechainFrom(long fromSeq) throws IOException {
        byte[] previous = ChainHash.genesis(LOG);
        String previousFile = null;
        String previousLastChain = null;
        byte[] previousBytes = null;
        for (Path p : segments(logDir)) {
            List<String> lines = read(p);
            List<String> out = new ArrayList<>();
            String lastChain = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (i == 0 && previousFile != null) {
                    line = line.replaceFirst("\"lastChain\":\"[0-9a-f]{64}\"", "\"lastChain\":\"" + previousLastChain
                            + "\"").replaceFirst("\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\""
                            + HEX.formatHex(sha256(previousBytes)) + "\"");
                } else if (isRecord(line)) {
                    SealedRecord r = parse(line);
                    if (r.sequence() >= fromSeq) {
                        line = seal(body(line), previous);
                    }
                    previous = parse(line).chainHash();
                    lastChain = HEX.formatHex(previous);
                } else if (line.startsWith("{\"segmentSeal\":")) {
                    byte[] before = join(out);
                    line = line.replaceFirst("\"lastChain\":\"[0-9a-f]{64}\"", "\"lastChain\":\"" + lastChain + "\"")
                            .replaceFirst("\"sha256\":\"[0-9a-f]{64}\"", "\"sha256\":\""
                                    + HEX.formatHex(sha256(before)) + "\"");
                }
                out.add(line);
            }
            write(p, out);
            previousFile = p.getFileName().toString();
            previousLastChain = lastChain;
            previousBytes = join(out);
        }
    }

    private static String body(String line) {
        return line.substring(0, line.length() - 76);
    }

    /** The record line of {@code body} chained after {@code previousChain}. */
    private static String seal(String body, byte[] previousChain) {
        byte[] chain = ChainHash.next(previousChain, ChainHash.leaf(body.getBytes(StandardCharsets.UTF_8)));
        return body + ",\"chain\":\"" + HEX.formatHex(chain) + "\"}";
    }

    private static boolean isRecord(String line) {
        return line.startsWith("{\"v\":");
    }

    private static SealedRecord parse(String line) {
        return SealedRecord.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SealedRecord> records(Path logDir) throws IOException {
        List<SealedRecord> out = new ArrayList<>();
        for (Path p : segments(logDir)) {
            for (String line : read(p)) {
                if (isRecord(line)) {
                    out.add(parse(line));
                }
            }
        }
        return out;
    }

    private static List<Path> segments(Path logDir) throws IOException {
        return Fixtures.segmentFiles(logDir);
    }

    private static long firstOf(Path segment) {
        return Long.parseLong(segment.getFileName().toString().substring(0, 20));
    }

    /** The lines of a file that ends with a newline, without their terminators. */
    private static List<String> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n");
        return new ArrayList<>(Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1)));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        writable(file);
        Files.write(file, join(lines));
    }

    private static byte[] join(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sealed segments are read-only (0400): an attacker who owns the files makes them writable first. */
    private static void writable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Copies the segment files of one log directory over another's (replacing what is there). */
    private static void copyLog(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path p : segments(to)) {
            writable(p);
            Files.delete(p);
        }
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                Path target = to.resolve(p.getFileName());
                Files.copy(p, target);
                writable(target);
            }
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
