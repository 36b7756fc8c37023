package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LeafHashes;
import dev.auditlog.integrity.MerkleProofs;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code auditlog} command, run in-process through {@link Main#run}. */
class CliTest {
    private static final Pattern SUMMARY = Pattern.compile("generated (\\d+) events into log (\\S+) \\(sequences"
            + " (\\d+)\\.\\.(\\d+)\\)");

    @TempDir
    Path tmp;

    private Path keys;
    private Path priv;
    private Path pub;
    private Path logs;
    private Path anchor;

    /** What a command printed and returned. */

    @BeforeEach
    void keygen() {
        keys = tmp.resolve("keys");
        priv = keys.resolve("auditlog.key");
        pub = keys.resolve("auditlog.pub");
        logs = tmp.resolve("logs");
        anchor = tmp.resolve("anchor");
        Run r = run("keygen", "--out", keys.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private Run generate(String... extra) {
        List<String> args = new ArrayList<>(List.of("generate", "--dir", logs.toString(), "--private-key",
                priv.toString(), "--anchor", anchor.toString()));
        args.addAll(List.of(extra));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private Run verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify", logs.toString(), "--public-key", pub.toString(),
                "--anchor", anchor.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** Issue 11 item 4: a missing, empty or unreadable --anchor is exit 3; an anchored log the store lacks is exit 1. */
    @Test
    void aMistypedOrEmptyAnchorIsNeverASilentPass() throws Exception {
        generate("--count", "20");
        Run typo = run("verify", logs.toString(), "--public-key", pub.toString(), "--anchor",
                tmp.resolve("anchr").toString());
        assertThat(typo.exit()).as(typo.err()).isEqualTo(3);
        assertThat(typo.err()).contains("--anchor").contains("anchr").contains("does not exist");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Run notDir = run("verify", logs.toString(), "--public-key", pub.toString(), "--anchor", file.toString());
        assertThat(notDir.exit()).isEqualTo(3);
        assertThat(notDir.err()).contains("is not a directory");
        Path empty = Files.createDirectories(tmp.resolve("empty-anchor"));
        Run none = run("verify", logs.toString(), "--public-key", pub.toString(), "--anchor", empty.toString());
        assertThat(none.exit()).as(none.out()).isEqualTo(3);
        assertThat(none.err()).contains("holds no anchored checkpoint");
        if (!"root".equals(System.getProperty("user.name"))) { // root reads anything
            Path locked = Files.createDirectories(tmp.resolve("locked-anchor"));
            Files.copy(anchor.resolve("default.checkpoint"), locked.resolve("default.checkpoint"));
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("-wx------"));
            Run unreadable = run("verify", logs.toString(), "--public-key", pub.toString(), "--anchor",
                    locked.toString());
            assertThat(unreadable.exit()).isEqualTo(3);
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
        // An anchor holding only another log's checkpoint: this log was not checked against it (a warning).
        Path other = Files.createDirectories(tmp.resolve("other-anchor"));
        Files.copy(anchor.resolve("default.checkpoint"), other.resolve("other.checkpoint"));
        Run unanchored = run("verify", logs.toString(), "--public-key", pub.toString(), "--anchor", other.toString(),
                "--log", "default");
        assertThat(unanchored.exit()).as(unanchored.out()).isEqualTo(2);
        assertThat(unanchored.out()).contains("WARNING NOT_ANCHORED").contains("holds no checkpoint for chain default");
        // Every log the anchor knows is verified: one the store lacks was deleted whole (THREATS.md row 9).
        Files.copy(anchor.resolve("default.checkpoint"), anchor.resolve("gone.checkpoint"));
        Run deleted = verify();
        assertThat(deleted.exit()).as(deleted.out()).isEqualTo(1);
        assertThat(deleted.out()).contains("log gone: INVALID").contains("log default: VALID");
        Files.delete(anchor.resolve("gone.checkpoint"));
        assertThat(verify().exit()).isZero(); // the right anchor
        Run zero = verify("--max-staleness", "0s");
        assertThat(zero.exit()).isEqualTo(3);
        assertThat(zero.err()).contains("--max-staleness: must be positive").doesNotContain("maxStaleness must");
    }

    // ---------------------------------------------------------------- keygen, generate

    @Test
    void keygenWritesAPrivateKeyOnlyTheOwnerCanReadAndAPublicKey() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        assertThat(pub).exists();
        VerifierKey key = Ed25519Keys.readVerifierKey(pub);
        assertThat(Ed25519Keys.readSigningKey(priv).verifierKey()).isEqualTo(key);
    }

    @Test
    void generatePrintsAckedSequencesAndASummaryAndASecondRunAppendsToTheSameChain() throws Exception {
        Run first = generate("--count", "500");
        long[] s1 = summary(first, 500);
        List<Long> acked = acked(first);
        assertThat(acked).isNotEmpty().isSorted();
        assertThat(acked.get(acked.size() - 1)).isEqualTo(s1[1]);
        assertThat(s1[1] - s1[0]).isEqualTo(499);

        Run second = generate("--count", "200");
        long[] s2 = summary(second, 200);
        assertThat(s2[0]).as("sequence numbers continue").isGreaterThan(s1[1]);
        assertThat(acked(second).get(acked(second).size() - 1)).isEqualTo(s2[1]);

        Run v = verify();
        assertThat(v.exit()).as(v.out()).isZero();
        assertThat(records(logs, "default")).extracting(SealedRecord::sequence)
                .containsExactlyElementsOf(rangeList(records(logs, "default").size()));
    }

    // ---------------------------------------------------------------- verify

    @Test
    void verifyExitsZeroForACleanLogAndOneAfterAnEdit() throws Exception {
        generate("--count", "50");
        Run clean = verify();
        assertThat(clean.exit()).as(clean.out()).isZero();
        assertThat(clean.out()).contains("log default: VALID");

        Path segment = lastSegment(logs.resolve("default"));
        String text = Files.readString(segment);
        Matcher m = Pattern.compile("\"actor\":\\{\"id\":\"([a-z]+)\"").matcher(text);
        assertThat(m.find()).isTrue();
        Files.writeString(segment, text.substring(0, m.start(1)) + "mallory" + text.substring(m.end(1)));
        long editedSeq = SealedRecord.parse(lineAround(text, m.start()).getBytes(StandardCharsets.UTF_8)).sequence();

        Run tampered = verify();
        assertThat(tampered.exit()).as(tampered.out()).isEqualTo(1);
        assertThat(tampered.out()).contains("ERROR CHAIN_MISMATCH").contains("first bad record: position " + editedSeq + ", claimed sequence " + editedSeq + ", ");
    }

    @Test
    void verifyExitsTwoForWarningsOnly() throws Exception {
        generate("--count", "20");
        Thread.sleep(20); // the last checkpoint is now older than 1 ms
        Run stale = verify("--max-staleness", "PT0.001S");
        assertThat(stale.exit()).as(stale.out()).isEqualTo(2);
        assertThat(stale.out()).contains("WARNING STALE");

        // A torn write recovered by the next generate: recorded in the chain, reported as a warning.
        Files.write(lastSegment(logs.resolve("default")), "{\"v\":1,\"log\":\"default\",\"seq\":9".getBytes(
                StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        generate("--count", "5");
        Run recovered = verify();
        assertThat(recovered.exit()).as(recovered.out()).isEqualTo(2);
        assertThat(recovered.out()).contains("WARNING RECOVERED").contains("VALID with warnings");
    }

    @Test
    void verifyExitsThreeForAMissingDirectoryOrAMissingOption() {
        Run missingDir = run("verify", tmp.resolve("nope").toString(), "--public-key", pub.toString());
        assertThat(missingDir.exit()).isEqualTo(3);
        assertThat(missingDir.err()).contains("nope");

        Run missingOption = run("verify", tmp.toString());
        assertThat(missingOption.exit()).isEqualTo(3);
        assertThat(missingOption.err()).contains("--public-key");
    }

    @Test
    void verifyJsonOutputParses() throws Exception {
        generate("--count", "30");
        Run r = verify("--json");
        assertThat(r.exit()).isZero();
        Map<String, Object> json = parse(r.out());
        assertThat(json).containsEntry("exitCode", 0L).containsKeys("logs");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> logList = (List<Map<String, Object>>) json.get("logs");
        assertThat(logList).singleElement().satisfies(l -> {
            assertThat(l).containsEntry("log", "default").containsEntry("valid", true).containsEntry("findings",
                    List.of());
            assertThat((Long) l.get("records")).isGreaterThan(30);
            assertThat((Long) l.get("anchoredSize")).isPositive();
        });

        Files.writeString(lastSegment(logs.resolve("default")), "{\"v\":1,\"log\":\"default\",\"seq\":1",
                StandardOpenOption.APPEND);
        Map<String, Object> warned = parse(verify("--json").out());
        assertThat(warned).containsEntry("exitCode", 2L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) ((List<Map<String, Object>>) warned
                .get("logs")).get(0).get("findings");
        assertThat(findings).singleElement().satisfies(f -> assertThat(f).containsEntry("kind", "RECOVERED")
                .containsEntry("warning", true).containsKeys("sequence", "location", "message"));
    }

    @Test
    void aDirectoryWithTwoLogsVerifiesBothAndLogPicksOne() throws Exception {
        generate("--count", "20", "--log-id", "a");
        generate("--count", "30", "--log-id", "b");
        Run both = verify("--json");
        assertThat(both.exit()).as(both.out()).isZero();
        assertThat(logIds(parse(both.out()))).containsExactly("a", "b");

        Run onlyA = verify("--json", "--log", "a");
        assertThat(onlyA.exit()).isZero();
        assertThat(logIds(parse(onlyA.out()))).containsExactly("a");

        // Tampering with b does not make a invalid.
        Path segB = lastSegment(logs.resolve("b"));
        String text = Files.readString(segB);
        Files.writeString(segB, text.replaceFirst("\"document\\.", "\"documenX."));
        assertThat(verify("--log", "a").exit()).isZero();
        assertThat(verify("--log", "b").exit()).isEqualTo(1);
        assertThat(verify().exit()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- prove, tail

    @Test
    void proveInclusionPrintsAProofThatVerifiesAgainstTheSignedCheckpoint() throws Exception {
        generate("--count", "120", "--checkpoint-every", "50");
        List<SealedRecord> records = records(logs, "default");
        long seq = 37;
        Run r = run("prove", "inclusion", logs.toString(), "--seq", Long.toString(seq));
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> json = parse(r.out());
        assertThat(json).containsEntry("proof", "inclusion").containsEntry("leafIndex", seq);
        long treeSize = (Long) json.get("treeSize");
        byte[] root = b64(json.get("rootHash"));
        byte[] leaf = b64(json.get("leafHash"));
        assertThat(leaf).isEqualTo(records.get((int) seq).leafHash());
        assertThat(MerkleProofs.verifyInclusion(seq, treeSize, leaf, hashes(json), root)).isTrue();
        assertThat(MerkleProofs.verifyInclusion(seq, treeSize, records.get((int) seq + 1).leafHash(), hashes(json),
                root)).isFalse();

        Checkpoint cp = Checkpoint.verify((String) json.get("checkpoint"), Ed25519Keys.readVerifierKey(pub));
        assertThat(cp.size()).isEqualTo(treeSize);
        assertThat(cp.rootHash()).isEqualTo(root);
        SealedRecord last = records.get(records.size() - 1);
        assertThat(last.type()).isEqualTo("checkpoint");
        assertThat(treeSize).isEqualTo(last.sequence());
    }

    @Test
    void proveConsistencyPrintsAProofFromAnOlderRoot() throws Exception {
        generate("--count", "120", "--checkpoint-every", "50");
        List<SealedRecord> records = records(logs, "default");
        long from = 51;
        Run r = run("prove", "consistency", logs.toString(), "--from", Long.toString(from));
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> json = parse(r.out());
        long treeSize = (Long) json.get("treeSize");
        byte[] root = b64(json.get("rootHash"));
        List<byte[]> leaves = records.stream().map(SealedRecord::leafHash).toList();
        byte[] oldRoot = MerkleProofs.rootHash(LeafHashes.of(leaves.subList(0, (int) from)), from);
        assertThat(b64(json.get("oldRoot"))).isEqualTo(oldRoot);
        assertThat(MerkleProofs.verifyConsistency(from, treeSize, oldRoot, root, hashes(json))).isTrue();
        assertThat(Checkpoint.verify((String) json.get("checkpoint"), Ed25519Keys.readVerifierKey(pub)).rootHash())
                .isEqualTo(root);
        byte[] otherRoot = MerkleProofs.rootHash(LeafHashes.of(leaves.subList(0, (int) from + 1)), from + 1);
        assertThat(MerkleProofs.verifyConsistency(from, treeSize, otherRoot, root, hashes(json))).isFalse();
    }

    @Test
    void tailRawPrintsTheLastStoredLinesExactly() throws Exception {
        generate("--count", "25");
        List<String> stored = new ArrayList<>();
        for (Path p : segments(logs.resolve("default"))) {
            Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{\"v\":"))
                    .forEach(stored::add);
        }
        Run r = run("tail", logs.toString(), "-n", "3", "--raw");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.lines()).containsExactlyElementsOf(stored.subList(stored.size() - 3, stored.size()));
        assertThat(r.out()).isEqualTo(String.join(System.lineSeparator(), stored.subList(stored.size() - 3,
                stored.size())) + System.lineSeparator());
    }

    // ---------------------------------------------------------------- demo

    @Test
    void demoCatchesBothTamperedCopiesAndCanBeRunAgainButLeavesForeignDirectoriesAlone() throws Exception {
        Path demo = tmp.resolve("demo");
        Run first = run("demo", "--dir", demo.toString());
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("caught both tampered copies");

        Run again = run("demo", "--dir", demo.toString());
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("caught both tampered copies");

        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Path precious = Files.writeString(foreign.resolve("precious.txt"), "keep me");
        Run refused = run("demo", "--dir", foreign.toString());
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains("not a previous demo");
        assertThat(precious).hasContent("keep me");
    }

    // ---------------------------------------------------------------- helpers

    /** {first, last} sequence of the summary line, checking the count. */
    private static long[] summary(Run r, long count) {
        Matcher m = SUMMARY.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(count);
        return new long[]{Long.parseLong(m.group(3)), Long.parseLong(m.group(4))};
    }

    private static List<Long> acked(Run r) {
        return r.lines().stream().filter(l -> l.startsWith("acked ")).map(l -> Long.parseLong(l.substring(6)))
                .toList();
    }

    private static List<Long> rangeList(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Path> segments(Path logDir) throws IOException {
        try (Stream<Path> s = Files.list(logDir)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9]{20}\\.jsonl")).sorted().toList();
        }
    }

    private static Path lastSegment(Path logDir) throws IOException {
        List<Path> segs = segments(logDir);
        Path last = segs.get(segs.size() - 1);
        Files.setPosixFilePermissions(last, PosixFilePermissions.fromString("rw-------"));
        return last;
    }

    private static List<SealedRecord> records(Path dir, String logId) throws IOException {
        List<SealedRecord> out = new ArrayList<>();
        for (Path p : segments(dir.resolve(logId))) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (line.startsWith("{\"v\":")) {
                    out.add(SealedRecord.parse(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static String lineAround(String text, int index) {
        int start = text.lastIndexOf('\n', index) + 1;
        int end = text.indexOf('\n', index);
        return text.substring(start, end);
    }

    private static byte[] b64(Object s) {
        return Base64.getDecoder().decode((String) s);
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> hashes(Map<String, Object> json) {
        return ((List<Object>) json.get("hashes")).stream().map(CliTest::b64).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> logIds(Map<String, Object> json) {
        return ((List<Map<String, Object>>) json.get("logs")).stream().map(l -> (String) l.get("log")).toList();
    }

    /** Parses a JSON object with jackson-core into maps, lists, strings, longs and booleans. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(text)) {
            Object value = value(p, p.nextToken());
            assertThat(p.nextToken()).as("nothing after the object").isNull();
            return (Map<String, Object>) value;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t);
        }
    }
}
