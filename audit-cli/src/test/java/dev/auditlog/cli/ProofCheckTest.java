package dev.auditlog.cli;

import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code auditlog prove check}: a proof printed by {@code prove} checked with the public key alone. */
class ProofCheckTest {
    @TempDir
    Path tmp;

    private Path logs;
    private Path pub;

    @BeforeEach
    void log() {
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        pub = keys.resolve("auditlog.pub");
        logs = tmp.resolve("logs");
        Run g = run("generate", "--dir", logs.toString(), "--private-key", keys.resolve("auditlog.key").toString(),
                "--count", "120", "--checkpoint-every", "50");
        assertThat(g.exit()).as(g.err()).isZero();
    }

    private Path prove(String name, String... args) throws IOException {
        Run r = run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return Files.writeString(tmp.resolve(name), r.out());
    }

    private Run check(Path proof, String... extra) {
        List<String> args = new ArrayList<>(List.of("prove", "check", "--proof", proof.toString(), "--public-key",
                pub.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void anInclusionProofChecksAgainstTheRecordLineOrItsHashAndNothingElse() throws Exception {
        Path proof = prove("inclusion.json", "prove", "inclusion", logs.toString(), "--seq", "37");
        List<String> lines = recordLines();
        Path line37 = Files.writeString(tmp.resolve("record37.jsonl"), lines.get(37) + "\n");
        Path line38 = Files.writeString(tmp.resolve("record38.jsonl"), lines.get(38) + "\n");

        Run own = check(proof);
        assertThat(own.exit()).as(own.out() + own.err()).isZero();
        assertThat(own.out()).startsWith("VALID: leaf 37 ").contains("taken from the proof");
        Run byLine = check(proof, "--leaf-line", line37.toString());
        assertThat(byLine.exit()).as(byLine.out() + byLine.err()).isZero();
        assertThat(byLine.out()).doesNotContain("taken from the proof");
        String hex37 = HexFormat.of().formatHex(leaf(lines.get(37)));
        assertThat(check(proof, "--leaf-hash", hex37).exit()).isZero();

        Run otherLine = check(proof, "--leaf-line", line38.toString());
        assertThat(otherLine.exit()).isEqualTo(1);
        assertThat(otherLine.out()).startsWith("INVALID: ").contains("seq 38");
        Run otherHash = check(proof, "--leaf-hash", HexFormat.of().formatHex(leaf(lines.get(38))));
        assertThat(otherHash.exit()).isEqualTo(1);
        assertThat(otherHash.out()).startsWith("INVALID: ").contains("does not hold");
    }

    @Test
    void anAlteredProofAWrongKeyOrAForgedRootIsInvalid() throws Exception {
        Path proof = prove("inclusion.json", "prove", "inclusion", logs.toString(), "--seq", "37");
        String text = Files.readString(proof);

        Path edited = Files.writeString(tmp.resolve("edited.json"), editFirstHash(text));
        Run e = check(edited);
        assertThat(e.exit()).as(e.out() + e.err()).isEqualTo(1);
        assertThat(e.out()).startsWith("INVALID: the inclusion proof does not hold");

        Path otherKeys = tmp.resolve("other");
        assertThat(run("keygen", "--out", otherKeys.toString()).exit()).isZero();
        Run wrongKey = run("prove", "check", "--proof", proof.toString(), "--public-key",
                otherKeys.resolve("auditlog.pub").toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.out()).startsWith("INVALID: the proof's checkpoint does not verify");

        // A root that is not the signed one: the checkpoint decides, whatever rootHash says.
        Matcher root = Pattern.compile("\"rootHash\" : \"([^\"]+)\"").matcher(text);
        assertThat(root.find()).isTrue();
        Path forged = Files.writeString(tmp.resolve("forged.json"), text.substring(0, root.start(1))
                + Base64.getEncoder().encodeToString(new byte[32]) + text.substring(root.end(1)));
        Run f = check(forged);
        assertThat(f.exit()).isEqualTo(1);
        assertThat(f.out()).contains("not the signed checkpoint's root hash");
    }

    @Test
    void aConsistencyProofChecksAndAnAlteredOldRootDoesNot() throws Exception {
        Path proof = prove("consistency.json", "prove", "consistency", logs.toString(), "--from", "51");
        Run ok = check(proof);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).startsWith("VALID: the tree of size 51 ");

        String text = Files.readString(proof);
        Matcher old = Pattern.compile("\"oldRoot\" : \"([^\"]+)\"").matcher(text);
        assertThat(old.find()).isTrue();
        Path edited = Files.writeString(tmp.resolve("edited.json"), text.substring(0, old.start(1))
                + Base64.getEncoder().encodeToString(new byte[32]) + text.substring(old.end(1)));
        assertThat(check(edited).exit()).isEqualTo(1);
        assertThat(check(Files.writeString(tmp.resolve("e2.json"), editFirstHash(text))).exit()).isEqualTo(1);
    }

    @Test
    void aConsistencyProofFromACheckpointTheCheckerHoldsChecksOnlyForThatCheckpoint() throws Exception {
        SealedRecord older = recordLines().stream().map(l -> SealedRecord.parse(l.getBytes(StandardCharsets.UTF_8)))
                .filter(r -> r.checkpointNote().isPresent()).findFirst().orElseThrow();
        long oldSize = older.sequence(); // the checkpoint record N covers records 0 … N-1
        Path held = Files.writeString(tmp.resolve("old.checkpoint"), older.checkpointNote().orElseThrow());
        Path proof = prove("c.json", "prove", "consistency", logs.toString(), "--from", Long.toString(oldSize));
        Run ok = check(proof, "--old-checkpoint", held.toString());
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("your signed checkpoint of size " + oldSize);

        Path other = prove("c2.json", "prove", "consistency", logs.toString(), "--from", Long.toString(oldSize + 1));
        assertThat(check(other).exit()).as("a valid proof, but from another tree").isZero();
        Run mismatch = check(other, "--old-checkpoint", held.toString());
        assertThat(mismatch.exit()).isEqualTo(1);
        assertThat(mismatch.out()).startsWith("INVALID: ").contains("--old-checkpoint");

        Path inclusion = prove("i.json", "prove", "inclusion", logs.toString(), "--seq", "3");
        assertThat(check(inclusion, "--old-checkpoint", held.toString()).exit()).isEqualTo(3);
    }

    @Test
    void usageAndIoErrorsExitThree() throws Exception {
        Path proof = prove("inclusion.json", "prove", "inclusion", logs.toString(), "--seq", "3");
        Run missing = check(tmp.resolve("nope.json"));
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("nope.json");
        Run notJson = check(Files.writeString(tmp.resolve("x.json"), "hello"));
        assertThat(notJson.exit()).isEqualTo(3);
        assertThat(notJson.err().lines()).singleElement().asString().contains("x.json");
        Run badHash = check(proof, "--leaf-hash", "xyz");
        assertThat(badHash.exit()).isEqualTo(3);
        assertThat(badHash.err()).contains("--leaf-hash");
        Run noKey = run("prove", "check", "--proof", proof.toString());
        assertThat(noKey.exit()).isEqualTo(3);
        assertThat(noKey.err()).contains("--public-key");
    }

    /** The proof text with the first hash of "hashes" changed in its first base64 character. */
    private static String editFirstHash(String text) {
        Matcher m = Pattern.compile("\"hashes\" : \\[\\s*\"(.)").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        char c = m.group(1).charAt(0);
        return text.substring(0, m.start(1)) + (c == 'A' ? 'B' : 'A') + text.substring(m.end(1));
    }

    private static byte[] leaf(String line) {
        return SealedRecord.parse(line.getBytes(StandardCharsets.UTF_8)).leafHash();
    }

    private List<String> recordLines() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(logs.resolve("default"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{\"v\":"))
                        .forEach(out::add);
            }
        }
        return out;
    }
}
