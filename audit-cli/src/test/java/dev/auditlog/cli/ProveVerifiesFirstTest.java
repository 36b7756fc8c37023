package dev.auditlog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** prove inclusion|consistency verify the log up to their checkpoint first: no proof over a corrupted log. */
class ProveVerifiesFirstTest {
    @TempDir
    Path tmp;

    @Test
    void aCorruptedLogGetsNoProofButExit1WithTheFinding() throws Exception {
        Path keys = tmp.resolve("keys");
        Path logs = tmp.resolve("logs");
        assertThat(Run.run("keygen", "--out", keys.toString()).exit()).isZero();
        Run gen = Run.run("generate", "--dir", logs.toString(), "--private-key", keys.resolve("auditlog.key").toString(),
                "--count", "60", "--checkpoint-every", "50");
        assertThat(gen.exit()).as(gen.err()).isZero();
        assertThat(Run.run("prove", "inclusion", logs.toString(), "--seq", "7").exit()).isZero();

        Path segment;
        try (Stream<Path> s = Files.walk(logs)) {
            segment = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
        }
        String text = Files.readString(segment);
        Matcher m = Pattern.compile("\"actor\":\\{\"id\":\"([a-z]+)\"").matcher(text);
        assertThat(m.find()).isTrue();
        Files.writeString(segment, text.substring(0, m.start(1)) + "mallory" + text.substring(m.end(1)));

        for (List<String> args : List.of(List.of("prove", "inclusion", logs.toString(), "--seq", "7"),
                List.of("prove", "consistency", logs.toString(), "--from", "10"))) {
            Run r = Run.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).as("no proof is printed").isEmpty();
            assertThat(r.err()).contains("no proof: the log does not verify up to the checkpoint")
                    .contains("CHAIN_MISMATCH");
        }
    }
}
