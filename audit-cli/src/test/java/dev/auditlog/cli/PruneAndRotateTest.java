package dev.auditlog.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * auditlog prune, rotate, keygen --file-name and verify's trust set (issue 10): every refusal is one line with
 * exit 3 (1 for a log that does not verify) and deletes nothing.
 */
class PruneAndRotateTest {
    @TempDir
    Path tmp;

    private Path priv;
    private Path pub;
    private Path anchor;
    private Path dir;

    @BeforeEach
    void aSegmentedSignedAnchoredLog() {
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        priv = keys.resolve("auditlog.key");
        pub = keys.resolve("auditlog.pub");
        anchor = tmp.resolve("anchor");
        dir = tmp.resolve("logs");
        Run g = run("generate", "--dir", dir.toString(), "--private-key", priv.toString(), "--anchor",
                anchor.toString(), "--count", "200", "--checkpoint-every", "20", "--segment-size", "4096", "--rate",
                "2000");
        assertThat(g.exit()).as(g.err()).isZero();
    }

    private List<String> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("default"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{20}\\.jsonl")).sorted()
                    .toList();
        }
    }

    /** The start of the last segment: a segment boundary the last checkpoint (written at close) covers. */
    private long cut() throws IOException {
        List<String> segments = segments();
        assertThat(segments).as("segments").hasSizeGreaterThan(1);
        return Long.parseLong(segments.get(segments.size() - 1).substring(0, 20));
    }

    private Run prune(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("prune", "file:" + dir, "--private-key",
                priv.toString(), "--anchor", anchor.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private Run verify(String... keys) {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "file:" + dir, "--anchor",
                anchor.toString()));
        args.addAll(List.of(keys));
        return run(args.toArray(String[]::new));
    }

    @Test
    void pruneRefusesWhatWouldDestroyEvidenceInOneLineAndDeletesNothing() throws IOException {
        List<String> before = segments();
        String cut = Long.toString(cut());
        assertThat(run("prune", "--help").exit()).isZero();
        assertThat(run("prune", "file:" + dir, "--private-key", priv.toString()).errorLine())
                .contains("--before");
        assertThat(prune("--before", cut, "--log", "nosuch").errorLine()).contains("no log \"nosuch\"")
                .contains("default");
        assertThat(run("prune", "file:" + tmp.resolve("nowhere"), "--before", cut, "--private-key", priv.toString())
                .errorLine()).contains("nowhere");
        assertThat(prune("--before", "0").errorLine()).contains("--before must be >= 1");
        assertThat(prune("--before", "100000").errorLine()).contains("past the log's last signed checkpoint")
                .contains("nothing was deleted");
        assertThat(run("prune", "file:" + dir, "--before", cut, "--private-key", pub.toString()).errorLine())
                .contains("public (verifier) key");

        Path other = tmp.resolve("other");
        assertThat(run("keygen", "--out", other.toString()).exit()).isZero();
        String wrong = run("prune", "file:" + dir, "--before", cut, "--private-key",
                other.resolve("auditlog.key").toString(), "--anchor", anchor.toString()).errorLine();
        assertThat(wrong).contains("is not the key of log default").contains("nothing was deleted");

        Run dry = prune("--before", cut, "--dry-run");
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("dry run").contains("would keep the records from " + cut)
                .contains("nothing was changed");

        assertThat(segments()).isEqualTo(before);
        assertThat(verify("--public-key", pub.toString()).exit()).isZero();
    }

    /** Issue 10, item 2: a restart with another key used to be accepted (rc 0) and left a log valid under neither. */
    @Test
    void writingWithAnotherKeyFailsAtStartNamingBothKeys() throws IOException {
        Path other = tmp.resolve("other");
        assertThat(run("keygen", "--out", other.toString()).exit()).isZero();
        List<String> before = segments();
        String err = run("generate", "--dir", dir.toString(), "--private-key", other.resolve("auditlog.key").toString(),
                "--count", "1").errorLine();
        String oldId = Files.readString(pub).split("\\+")[1];
        String newId = Files.readString(other.resolve("auditlog.pub")).split("\\+")[1];
        assertThat(err).contains(oldId).contains(newId).contains("rotate");
        assertThat(segments()).isEqualTo(before);
        assertThat(verify("--public-key", pub.toString()).exit()).isZero();
    }

    @Test
    void aStoreWithSeveralLogsNeedsLog() {
        Run g = run("generate", "--dir", dir.toString(), "--private-key", priv.toString(), "--count", "5",
                "--log-id", "second");
        assertThat(g.exit()).as(g.err()).isZero();
        assertThat(prune("--before", "1").errorLine()).contains("several logs").contains("--log");
    }

    @Test
    void pruneThenVerifyWithTheAnchor() throws IOException {
        long cut = cut();
        Run p = prune("--before", Long.toString(cut));
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("now starts at record " + cut).contains("anchored to");
        assertThat(segments().get(0)).isEqualTo(String.format("%020d.jsonl", cut));
        Run v = verify("--public-key", pub.toString());
        assertThat(v.exit()).as(v.out()).isZero();
        assertThat(anchor.resolve("default.retention")).exists();
    }

    @Test
    void aLogThatDoesNotVerifyIsNotPrunedExit1() throws IOException {
        Path second = dir.resolve("default").resolve(segments().get(1));
        second.toFile().setWritable(true);
        Files.writeString(second, Files.readString(second).replaceFirst("\"id\":\"", "\"id\":\"X"));
        List<String> before = segments();
        Run p = prune("--before", Long.toString(cut()));
        assertThat(p.exit()).isEqualTo(1);
        assertThat(p.err().lines().toList()).hasSize(1);
        assertThat(p.err()).contains("does not verify").contains("nothing was deleted");
        assertThat(segments()).isEqualTo(before);
    }

    @Test
    void rotateThenVerifyWithTheTrustSet() throws IOException {
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString(), "--file-name", "next").exit()).isZero();
        Path nextPriv = keys.resolve("next.key");
        Path nextPub = keys.resolve("next.pub");
        assertThat(run("keygen", "--out", keys.toString(), "--file-name", "../escape").errorLine())
                .contains("--file-name");

        assertThat(run("rotate", "--help").exit()).isZero();
        assertThat(run("rotate", "file:" + dir, "--private-key", priv.toString()).errorLine())
                .contains("--new-private-key");
        assertThat(run("rotate", "file:" + tmp.resolve("nowhere"), "--private-key", priv.toString(),
                "--new-private-key", nextPriv.toString()).errorLine()).contains("nowhere");
        assertThat(run("keygen", "--out", keys.toString(), "--file-name", "stranger").exit()).isZero();
        String wrong = run("rotate", "file:" + dir, "--private-key", keys.resolve("stranger.key").toString(),
                "--new-private-key", nextPriv.toString()).errorLine();
        assertThat(wrong).contains("is not the current key of log default").contains("nothing was changed");

        Run r = run("rotate", "file:" + dir, "--private-key", priv.toString(), "--new-private-key",
                nextPriv.toString(), "--anchor", anchor.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("now signed with");

        Run both = verify("--public-key", pub.toString(), "--public-key", nextPub.toString());
        assertThat(both.exit()).as(both.out()).isZero();
        assertThat(both.out()).contains("keys:").contains("rotated to");
        Path trust = tmp.resolve("trusted-keys");
        Files.writeString(trust, "# the payments log\n" + Files.readString(pub) + "\n" + Files.readString(nextPub));
        assertThat(verify("--trust-file", trust.toString()).exit()).isZero();
        assertThat(verify("--public-key", nextPub.toString()).exit()).as("the new key alone").isEqualTo(1);
        assertThat(verify().errorLine()).contains("Missing required option").contains("--public-key")
                .contains("--trust-file");
        assertThat(verify("--trust-file", tmp.resolve("none").toString()).errorLine()).contains("trust file");
        Files.writeString(trust, Files.readString(priv));
        assertThat(verify("--trust-file", trust.toString()).errorLine()).contains("private");

        // After the rotation, the old key cannot prune: it is no longer the log's key.
        assertThat(prune("--before", Long.toString(cut())).errorLine()).contains("is signed with key");
        Run p = run("prune", "file:" + dir, "--private-key", nextPriv.toString(), "--public-key", pub.toString(),
                "--anchor", anchor.toString(), "--before", Long.toString(cut()));
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(verify("--public-key", pub.toString(), "--public-key", nextPub.toString()).exit()).isZero();
    }
}
