package dev.auditlog.cli;

import dev.auditlog.spi.SealedRecord;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/** What verify prints: grouped findings, progress on a terminal only; and the demo's "Verify yourself" line. */
class VerifyOutputTest {
    private static final Pattern GROUP = Pattern.compile("ERROR CHECKPOINT_INVALID \u00d7(\\d+) \\(first pos=\\d+ seq=(\\d+)"
            + " (\\S+), last pos=\\d+ seq=(\\d+) (\\S+)\\): .+");

    @TempDir
    Path tmp;

    private Path keys;
    private Path logs;

    @BeforeEach
    void keys() {
        keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        logs = tmp.resolve("logs");
    }

    @Test
    void theWrongKeyGivesOneLinePerKindWithCountFirstAndLastAndAllOfThemOnRequest() throws Exception {
        Run g = run("generate", "--dir", logs.toString(), "--private-key", keys.resolve("auditlog.key").toString(),
                "--count", "300", "--checkpoint-every", "10");
        assertThat(g.exit()).as(g.err()).isZero();
        Path other = tmp.resolve("other");
        assertThat(run("keygen", "--out", other.toString()).exit()).isZero();
        String wrongKey = other.resolve("auditlog.pub").toString();

        Run all = run("verify", logs.toString(), "--public-key", wrongKey, "--all-findings");
        assertThat(all.exit()).isEqualTo(1);
        List<String> each = all.lines().stream().filter(l -> l.startsWith("ERROR CHECKPOINT_INVALID ")).toList();
        assertThat(each.size()).as(all.out()).isGreaterThan(20);

        Run grouped = run("verify", logs.toString(), "--public-key", wrongKey);
        assertThat(grouped.exit()).isEqualTo(1);
        assertThat(grouped.err()).as("no progress off a terminal").isEmpty();
        List<String> lines = grouped.lines().stream().filter(l -> l.startsWith("ERROR CHECKPOINT_INVALID ")).toList();
        assertThat(lines).singleElement().asString().matches(GROUP);
        Matcher m = GROUP.matcher(lines.get(0));
        assertThat(m.matches()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(each.size());
        assertThat(each.get(0)).contains(" " + m.group(3) + " pos=" + m.group(2) + " seq=" + m.group(2) + ": ");
        assertThat(each.get(each.size() - 1)).contains(" " + m.group(5) + " pos=" + m.group(4) + " seq=" + m.group(4) + ": ");
        assertThat(grouped.lines().get(grouped.lines().size() - 1)).startsWith("log default: INVALID");

        Run json = run("verify", logs.toString(), "--public-key", wrongKey, "--json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(count(json.out(), "CHECKPOINT_INVALID")).as("--json lists every finding").isEqualTo(each.size());
    }

    @Test
    void aSingleFindingIsPrintedAsBefore() throws Exception {
        Run g = run("generate", "--dir", logs.toString(), "--private-key", keys.resolve("auditlog.key").toString(),
                "--count", "20");
        assertThat(g.exit()).as(g.err()).isZero();
        Files.writeString(lastSegment(), "{\"v\":1,\"log\":\"default\",\"seq\":9", java.nio.file.StandardOpenOption
                .APPEND);
        Run r = run("verify", logs.toString(), "--public-key", keys.resolve("auditlog.pub").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).containsPattern("(?m)^WARNING RECOVERED \\S+ pos=\\d+ seq=\\d+: ").doesNotContain("\u00d7");
    }

    @Test
    void progressShowsRecordsAndBytesAgainstTheTotalWithPercentageAndTimeLeftOnlyWhenEnabled() {
        long start = System.nanoTime() - 10_000_000_000L; // ten seconds ago: the first report is due
        SealedRecord r = new dev.auditlog.spi.RecordSealer("a", 0, dev.auditlog.spi.ChainHash.genesis("a"))
                .seal(java.time.Instant.EPOCH, "event", "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8));
        long perRecord = r.lineLength() + 1;

        StringWriter on = new StringWriter();
        VerifyCommand.Progress p = new VerifyCommand.Progress(new PrintWriter(on), "a", true, 4096, -1, start);
        for (int i = 0; i < 1024; i++) {
            p.tick(r);
        }
        assertThat(p.line(start + 2_000_000_000L)).isEqualTo("verifying a: 1024 of ~4096 records (25%), 6 s left");
        assertThat(on.toString()).as("more than a second since start: reported").startsWith("verifying a: 1024 ");

        VerifyCommand.Progress byBytes = new VerifyCommand.Progress(new PrintWriter(new StringWriter()), "d", true,
                -1, 4 * 1024 * perRecord, start);
        for (int i = 0; i < 1024; i++) {
            byBytes.tick(r);
        }
        assertThat(byBytes.line(start + 2_000_000_000L)).startsWith("verifying d: ")
                .contains(" (25%), 1024 records, 6 s left");

        VerifyCommand.Progress noTotal = new VerifyCommand.Progress(new PrintWriter(new StringWriter()), "b", true, -1,
                -1, start);
        for (int i = 0; i < 1000; i++) {
            noTotal.tick(r);
        }
        assertThat(noTotal.line(start + 2_000_000_000L)).startsWith("verifying b: 1000 records, ")
                .endsWith(", 500 records/s");

        StringWriter off = new StringWriter();
        VerifyCommand.Progress quiet = new VerifyCommand.Progress(new PrintWriter(off), "c", false, 4096, -1, start);
        for (int i = 0; i < 4096; i++) {
            quiet.tick(r);
        }
        quiet.done();
        assertThat(off.toString()).as("not a terminal: nothing").isEmpty();
    }

    @Test
    void theDemosVerifyYourselfLineWorksFromAnyDirectory() {
        // A relative --dir: the line must not depend on where the demo was run from.
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("demo"));
        assertThat(relative.isAbsolute()).isFalse();
        Run demo = run("demo", "--dir", relative.toString());
        assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
        String line = demo.out().lines().filter(l -> l.startsWith("Verify yourself: ")).findFirst().orElseThrow();
        List<String> words = Arrays.asList(line.substring("Verify yourself: ".length()).split(" "));
        assertThat(words.subList(0, 2)).containsExactly("java", "-jar");
        assertThat(words.get(2)).satisfiesAnyOf(j -> assertThat(j).isEqualTo("auditlog.jar"),
                j -> assertThat(Path.of(j)).isAbsolute().isRegularFile());
        List<String> args = words.subList(3, words.size());
        assertThat(args.get(0)).isEqualTo("verify");
        for (int i : new int[] {1, 3, 5}) {
            assertThat(Path.of(args.get(i))).as(line).isAbsolute().exists();
        }
        assertThat(Path.of(args.get(1))).isEqualTo(tmp.resolve("demo/logs").toAbsolutePath());
        Run again = run(args.toArray(String[]::new));
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("log demo: VALID");
    }

    private static int count(String json, String kind) throws IOException {
        int n = 0;
        try (JsonParser p = new JsonFactory().createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING && "kind".equals(p.currentName()) && kind.equals(p.getText())) {
                    n++;
                }
            }
        }
        return n;
    }

    private Path lastSegment() throws IOException {
        List<Path> segs = new ArrayList<>();
        try (var s = Files.list(logs.resolve("default"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().forEach(segs::add);
        }
        Path last = segs.get(segs.size() - 1);
        last.toFile().setWritable(true, true);
        return last;
    }
}
