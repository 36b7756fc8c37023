package dev.auditlog.cli;

import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores named by URI and found through ServiceLoader: {@code dirstore:} comes from audit-test-store, a test-only
 * module this command has never heard of, next to {@code file:} and {@code jdbc:}.
 */
class StoreUriTest {
    @TempDir
    Path tmp;

    private Path priv;
    private Path pub;
    private Path anchor;

    @BeforeEach
    void keys() {
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        priv = keys.resolve("auditlog.key");
        pub = keys.resolve("auditlog.pub");
        anchor = tmp.resolve("anchor");
    }

    private void generate(String... destination) {
        List<String> args = new ArrayList<>(List.of("generate", "--private-key", priv.toString(), "--anchor",
                anchor.toString(), "--count", "40", "--checkpoint-every", "10"));
        args.addAll(List.of(destination));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
    }

    private Run verify(String store) {
        return run("verify", store, "--public-key", pub.toString(), "--anchor", anchor.toString());
    }

    @Test
    void verifyFindsAStoreItHasNeverHeardOfByItsScheme() throws Exception {
        Path dir = tmp.resolve("dirstore");
        generate("--store", "dirstore:" + dir);
        Run clean = verify("dirstore:" + dir);
        assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("log default: VALID").contains("checkpoints verified");

        Path file = dir.resolve("default.records");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"actor\":\\{\"id\":\"([a-z]+)\"").matcher(text);
        assertThat(m.find()).isTrue();
        int lineStart = text.lastIndexOf('\n', m.start()) + 1;
        long edited = SealedRecord.parse(text.substring(lineStart, text.indexOf('\n', m.start()))
                .getBytes(StandardCharsets.UTF_8)).sequence();
        Files.writeString(file, text.substring(0, m.start(1)) + "mallory" + text.substring(m.end(1)));

        Run tampered = verify("dirstore:" + dir);
        assertThat(tampered.exit()).as(tampered.out()).isEqualTo(1);
        assertThat(tampered.out()).contains("ERROR CHAIN_MISMATCH").contains("first bad record: position " + edited + ", claimed sequence " + edited + ", ");
    }

    @Test
    void tailAndProveWorkOnTheTestStoreAndPruneAndQuerySayPlainlyThatItCannot() {
        Path dir = tmp.resolve("dirstore");
        generate("--store", "dirstore:" + dir);
        Run tail = run("tail", "dirstore:" + dir, "-n", "2");
        assertThat(tail.exit()).as(tail.err()).isZero();
        assertThat(tail.out().lines()).hasSize(2);
        Run prove = run("prove", "inclusion", "dirstore:" + dir, "--seq", "3");
        assertThat(prove.exit()).as(prove.err()).isZero();
        assertThat(prove.out()).contains("\"proof\" : \"inclusion\"");

        Run prune = run("prune", "dirstore:" + dir, "--before", "20", "--private-key", priv.toString());
        assertThat(prune.exit()).isEqualTo(3);
        assertThat(prune.err().lines()).singleElement().asString().contains("does not support prune")
                .contains("dirstore");
        Run query = run("query", "dirstore:" + dir, "--log", "default");
        assertThat(query.exit()).isEqualTo(3);
        assertThat(query.err().lines()).singleElement().asString().contains("does not support query");
        assertThat(dir.resolve("auditlog-reads.records")).as("no read log opened for nothing").doesNotExist();
    }

    @Test
    void verifyTrustsEveryKeyGivenAndNoOther() {
        Path dir = tmp.resolve("logs");
        generate("--dir", dir.toString());
        Path other = tmp.resolve("other-keys");
        assertThat(run("keygen", "--out", other.toString()).exit()).isZero();
        Path otherPub = other.resolve("auditlog.pub");
        Run onlyOther = run("verify", "file:" + dir, "--public-key", otherPub.toString());
        assertThat(onlyOther.exit()).as(onlyOther.out()).isEqualTo(1);
        assertThat(onlyOther.out()).contains("CHECKPOINT_INVALID");
        Run both = run("verify", "file:" + dir, "--public-key", otherPub.toString(), "--public-key", pub.toString());
        assertThat(both.exit()).as(both.out()).isZero();
    }

    @Test
    void fileStoresAreNamedByUriByDirOrByPlainPath() {
        Path dir = tmp.resolve("logs");
        generate("--dir", dir.toString());
        assertThat(verify("file:" + dir).exit()).isZero();
        assertThat(verify(dir.toString()).exit()).isZero();
        Run shorthand = run("verify", "--dir", dir.toString(), "--public-key", pub.toString());
        assertThat(shorthand.exit()).as(shorthand.out()).isZero();
        Run tail = run("tail", "file:" + dir, "-n", "1");
        assertThat(tail.exit()).isZero();
    }

    @Test
    void jdbcStoresAreNamedByTheirUrlAndCannotBePruned() {
        String url = "jdbc:h2:file:" + tmp.resolve("db").resolve("audit");
        generate("--jdbc", url);
        Run clean = verify(url);
        assertThat(clean.exit()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("log default: VALID");
        Run shorthand = run("verify", "--jdbc", url, "--public-key", pub.toString());
        assertThat(shorthand.exit()).as(shorthand.out()).isZero();
        Run prove = run("prove", "consistency", url, "--from", "5");
        assertThat(prove.exit()).as(prove.err()).isZero();
        Run prune = run("prune", url, "--before", "20", "--private-key", priv.toString());
        assertThat(prune.exit()).isEqualTo(3);
        assertThat(prune.err()).contains("does not support prune");

        Run query = run("query", url, "--log", "default", "--page-size", "5");
        assertThat(query.exit()).as(query.err()).isZero();
        assertThat(query.out()).contains("5 record(s)");
        Run reads = run("tail", url, "--log", "auditlog-reads", "-n", "5");
        assertThat(reads.out()).as("the query was itself recorded").contains("audit.log.read");
    }

    @Test
    void pruneWorksOnAFileStoreNamedByUriAndTheLogStillVerifies() throws Exception {
        Path dir = tmp.resolve("logs");
        // A steady rate keeps batches small, so that the records span several 4 KiB segments.
        List<String> args = new ArrayList<>(List.of("generate", "--dir", dir.toString(), "--private-key",
                priv.toString(), "--anchor", anchor.toString(), "--count", "200", "--checkpoint-every", "20",
                "--segment-size", "4096", "--rate", "2000"));
        assertThat(run(args.toArray(String[]::new)).exit()).isZero();
        List<Long> firsts;
        try (var files = java.nio.file.Files.list(dir.resolve("default"))) {
            firsts = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9]{20}\\.jsonl"))
                    .map(n -> Long.parseLong(n.substring(0, 20))).sorted().toList();
        }
        assertThat(firsts).as("segments").hasSizeGreaterThan(2);
        long cut = firsts.get(1); // the cut: the first segment goes, several stay
        Run prune = run("prune", "file:" + dir, "--before", Long.toString(cut), "--private-key",
                priv.toString());
        assertThat(prune.exit()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("now starts at record " + cut);
        Run after = verify("file:" + dir);
        assertThat(after.exit()).as(after.out()).isZero();
        Run tail = run("tail", "file:" + dir, "-n", "2");
        assertThat(tail.exit()).as(tail.err()).isZero();
        assertThat(tail.out().lines().toList()).as("a pruned log does not start at 0").hasSize(2)
                .allMatch(l -> Long.parseLong(l.substring(0, l.indexOf(' '))) >= cut);
        Run negative = run("tail", "file:" + dir, "-n", "-1");
        assertThat(negative.exit()).isEqualTo(3);
        assertThat(negative.err()).contains("-n must be >= 0");
    }

    @Test
    void anUnknownSchemeOrTwoStoresAreUsageErrorsAndNoPasswordIsEchoed() {
        Run unknown = verify("nosuch:somewhere");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("no store for scheme \"nosuch\"").contains("dirstore").contains("file")
                .contains("jdbc");

        Run two = run("verify", "file:" + tmp, "--dir", tmp.toString(), "--public-key", pub.toString());
        assertThat(two.exit()).isEqualTo(3);
        assertThat(two.err()).contains("name the store once");

        Run refused = verify("jdbc:postgresql://alice:s3cret@127.0.0.1:1/none?password=s3cret2");
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).doesNotContain("s3cret");
    }

    @Test
    void everyStoreCommandHasHelpNamingTheStoreForms() {
        for (String[] command : List.of(new String[] {"verify"}, new String[] {"tail"}, new String[] {"prune"},
                new String[] {"query"}, new String[] {"prove", "inclusion"}, new String[] {"prove", "consistency"})) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add("--help");
            Run help = run(args.toArray(String[]::new));
            assertThat(help.exit()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).as(String.join(" ", command)).contains("STORE").contains("--dir").contains("--jdbc");
        }
    }

    @Test
    void theVersionIsThePomVersion() {
        Run v = run("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out().trim()).matches("auditlog [0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?");
        // Exactly the pom's version, -SNAPSHOT included: what a user puts in a dependency must resolve.
        String expected = System.getProperty("auditlog.expectedVersion");
        assertThat(expected).as("set by audit-cli/pom.xml").isNotBlank();
        assertThat(v.out().trim()).isEqualTo("auditlog " + expected);
    }
}
