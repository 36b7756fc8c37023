package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/** query's pages, formats and time column; read-only commands that create nothing; quiet drivers. */
class QueryAndReadOnlyTest {
    @TempDir
    Path tmp;

    private Path priv;
    private Path pub;
    private String url;

    @BeforeEach
    void keys() {
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        priv = keys.resolve("auditlog.key");
        pub = keys.resolve("auditlog.pub");
        url = "jdbc:h2:file:" + tmp.resolve("db").resolve("audit");
    }

    private void generate(int count) {
        Run r = run("generate", "--jdbc", url, "--private-key", priv.toString(), "--count", Integer.toString(count),
                "--checkpoint-every", "10");
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void allFetchesEveryPageAndJsonAndCsvHoldTheSameRecords() throws Exception {
        generate(23);
        Run one = run("query", url, "--log", "default", "--page-size", "5");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out()).contains("5 record(s); next page: --page-token ");

        Run all = run("query", url, "--log", "default", "--page-size", "5", "--all");
        assertThat(all.exit()).as(all.err()).isZero();
        // 23 events and the log's own audit.log.started and audit.log.stopped
        assertThat(all.out()).contains("25 record(s)").doesNotContain("next page");

        Run json = run("query", url, "--log", "default", "--page-size", "5", "--all", "--format", "json");
        assertThat(json.exit()).as(json.err()).isZero();
        List<SealedRecord> records = records(json.out());
        assertThat(records).hasSize(25);

        // The table shows the time the --from/--to filter on: when the event occurred.
        List<String> table = all.out().lines().toList();
        assertThat(table.get(0)).isEqualTo("seq occurredAt action outcome actor targets");
        SealedRecord first = records.get(0);
        String occurred = first.event().orElseThrow().occurredAt().orElseThrow().toString();
        assertThat(table.get(1)).startsWith(first.sequence() + " " + occurred + " ");

        Run csv = run("query", url, "--log", "default", "--page-size", "7", "--all", "--format", "csv");
        assertThat(csv.exit()).as(csv.err()).isZero();
        assertThat(csv.out()).endsWith("\r\n");
        String[] rows = csv.out().split("\r\n");
        assertThat(rows).hasSize(26);
        assertThat(rows[0]).isEqualTo(String.join(",", QueryCommand.CSV_HEADER));
        assertThat(rows[1]).startsWith(first.sequence() + "," + occurred + "," + first.sealedAt() + ","
                + first.event().orElseThrow().action() + ",");

        Run both = run("query", url, "--log", "default", "--json", "--format", "csv");
        assertThat(both.exit()).isEqualTo(3);
    }

    @Test
    void csvQuotesFieldsWithQuotesCommasAndLineBreaksPerRfc4180() {
        StringBuilder b = new StringBuilder();
        QueryCommand.csvRow(b, List.of("plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", ""));
        assertThat(b).hasToString("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",\r\n");
    }

    @Test
    void anUnknownLogIsAnErrorNamingTheLogsThatExist() {
        generate(5);
        Run r = run("query", url, "--log", "nosuch");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString().contains("\"nosuch\"").contains("default");
        Run reads = run("tail", url, "--log", "auditlog-reads", "-n", "5");
        assertThat(reads.out()).as("nothing was recorded for a query that could not run").isEmpty();
    }

    @Test
    void readOnlyCommandsOnAMissingH2DatabaseCreateNothingAndExitThree() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        String missing = "jdbc:h2:file:" + dir.resolve("nosuch");
        List<String[]> commands = List.of(
                new String[] {"verify", missing, "--public-key", pub.toString()},
                new String[] {"verify", "--jdbc", missing, "--public-key", pub.toString()},
                new String[] {"verify", missing, "--public-key", pub.toString(), "--verbose"},
                new String[] {"--verbose", "verify", missing, "--public-key", pub.toString()},
                new String[] {"tail", missing},
                new String[] {"prove", "inclusion", missing, "--seq", "0"},
                new String[] {"query", missing, "--log", "default"});
        for (String[] c : commands) {
            Run r = run(c);
            assertThat(r.exit()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(3);
            assertThat(r.err().lines()).as(r.err()).singleElement().asString().contains("nosuch");
            assertThat(list(dir)).as(String.join(" ", c)).isEmpty();
        }
        assertThat(Stores.readOnly("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Stores.readOnly("jdbc:h2:file:/x;IFEXISTS=FALSE")).isEqualTo(
                "jdbc:h2:file:/x;IFEXISTS=FALSE;ACCESS_MODE_DATA=r");
        assertThat(Stores.readOnly("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(Stores.readOnly("jdbc:h2:tcp://h:9092/audit")).as("a server is opened once for all its clients")
                .isEqualTo("jdbc:h2:tcp://h:9092/audit;IFEXISTS=TRUE");
    }

    @Test
    void readOnlyCommandsLeaveAnExistingH2DatabaseByteForByteAsItWas() throws Exception {
        generate(30);
        Path dir = tmp.resolve("db");
        Map<Path, String> before = digests(dir);
        for (String[] c : List.of(
                new String[] {"verify", url, "--public-key", pub.toString()},
                new String[] {"tail", url, "-n", "3"},
                new String[] {"prove", "inclusion", url, "--seq", "3"},
                new String[] {"prove", "consistency", url, "--from", "5"})) {
            Run r = run(c);
            assertThat(r.exit()).as(String.join(" ", c) + ": " + r.err()).isZero();
            assertThat(digests(dir)).as(String.join(" ", c)).isEqualTo(before);
        }
    }

    private static Map<Path, String> digests(Path dir) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void anUnknownMariaDbDatabaseIsOnePlainLineWithoutTheDriversWarnings() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Run r;
        try {
            r = run("verify", "jdbc:mariadb://127.0.0.1:3306/auditlog_nosuch_db?user=root&password=s3cret",
                    "--public-key", pub.toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().lines()).singleElement().asString().doesNotContain("s3cret");
        assertThat(captured.toString(StandardCharsets.UTF_8)).as("the driver's own log lines").doesNotContain("WARN")
                .doesNotContain("ErrorPacket");
        assertThat(System.getProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc")).isEqualTo("error");
        assertThat(java.util.logging.Logger.getLogger("org.postgresql").getLevel())
                .isEqualTo(java.util.logging.Level.SEVERE);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** The records of a query's --format json output. */
    private static List<SealedRecord> records(String json) throws IOException {
        List<SealedRecord> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(p.nextToken()).isEqualTo(JsonToken.FIELD_NAME);
            assertThat(p.currentName()).isEqualTo("records");
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            int depth = 0;
            int start = -1;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY || depth > 0; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT) {
                    if (depth++ == 0) {
                        start = (int) p.currentTokenLocation().getCharOffset();
                    }
                } else if (t == JsonToken.END_OBJECT && --depth == 0) {
                    int end = (int) p.currentTokenLocation().getCharOffset() + 1;
                    out.add(SealedRecord.parse(json.substring(start, end).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
