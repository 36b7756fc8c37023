package dev.auditlog.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 13, through {@link Main#run} as an operator meets it: help on every command, and each usage or input error
 * as one plain line on stderr with exit code 3.
 */
class CliHelpTest {
    @TempDir
    Path tmp;

    private Path priv;
    private Path pub;

    private static String[] args(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all.toArray(String[]::new);
    }

    @BeforeEach
    void keygen() {
        Path keys = tmp.resolve("keys");
        priv = keys.resolve("auditlog.key");
        pub = keys.resolve("auditlog.pub");
        Run r = run("keygen", "--out", keys.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    // ---------------------------------------------------------------- help

    /** Every command and subcommand, as the words after {@code auditlog}; the first is the top level. */
    static List<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), all);
        return all;
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        c.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, into);
        });
    }

    @Test
    void theCommandTreeHoldsEveryCommandTheHelpTestsDrive() {
        assertThat(commands()).contains(List.of(), List.of("demo"), List.of("keygen"), List.of("generate"),
                List.of("verify"), List.of("prove"), List.of("prove", "inclusion"), List.of("prove", "consistency"),
                List.of("tail"), List.of("schema"), List.of("query"), List.of("prune"), List.of("collect"), List.of("help"),
                List.of("completion"));
    }

    @ParameterizedTest(name = "auditlog {0} --help, -h, help")
    @MethodSource("commands")
    void everyCommandHasHelpWithExamples(List<String> command) {
        String qualified = String.join(" ", args(List.of("auditlog"), command.toArray(String[]::new)));
        Run help = run(args(command, "--help"));
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).startsWith("Usage: " + qualified)
                .contains("-h, --help").contains("Examples:").containsPattern("\n  " + qualified + "\\b");
        String examples = help.out().substring(help.out().indexOf("\nExamples:\n") + "\nExamples:\n".length());
        assertThat(examples.lines()).as("example lines fit 80 columns, unwrapped").isNotEmpty()
                .allMatch(l -> l.startsWith("  ") && l.length() <= 80);

        Run h = run(args(command, "-h"));
        assertThat(h.exit()).as(h.err()).isZero();
        assertThat(h.out()).isEqualTo(help.out());

        Run viaHelp = run(args(List.of("help"), command.toArray(String[]::new)));
        assertThat(viaHelp.exit()).as(viaHelp.err()).isZero();
        assertThat(viaHelp.err()).isEmpty();
        assertThat(viaHelp.out()).isEqualTo(help.out());
    }

    @Test
    void helpForACommandThatDoesNotExistIsAUsageError() {
        String line = run("help", "verifu").errorLine();
        assertThat(line).startsWith("auditlog: unknown command \"verifu\"").contains("verify")
                .endsWith("See 'auditlog --help'.");
        assertThat(run("help", "prove", "nosuch").errorLine())
                .startsWith("auditlog: unknown command \"nosuch\" for auditlog prove (commands: ")
                .contains("inclusion");
    }

    @Test
    void keygenHelpNoLongerAsksForItsRequiredOption() {
        Run help = run("keygen", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--out=<out>").contains("auditlog keygen --out");
        assertThat(tmp.resolve("keys")).exists();
    }

    @Test
    void theCommittedCliPageIsGeneratedFromTheseDefinitions() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isDirectory(cwd.resolve("audit-cli")) ? cwd : cwd.getParent();
        Path page = root.resolve("docs/CLI.md");
        String expected = CliDoc.render();
        String committed = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
        assertThat(committed).as("docs/CLI.md is stale; regenerate with: " + CliDoc.REGENERATE)
                .isEqualTo(expected);
        assertThat(expected).contains("## auditlog prove inclusion").contains("Examples:")
                .contains("source <(java -jar audit-cli/target/auditlog.jar completion)")
                .doesNotContain("\u001B[");
    }

    @Test
    void theRenderedPageIsTheSameEveryTime() {
        assertThat(CliDoc.render()).isEqualTo(CliDoc.render());
    }

    @Test
    void completionPrintsABashAndZshScriptForTheWholeTree() {
        Run r = run("completion");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("complete -F").contains("auditlog").contains("verify").contains("inclusion")
                .contains("--public-key").contains("ZSH_VERSION");
    }

    // ---------------------------------------------------------------- usage errors

    @Test
    void aBadDurationNamesTheOptionTheValueAndTheFormsThatWork() {
        assertThat(run("verify", tmp.toString(), "--public-key", pub.toString(), "--max-staleness", "1x")
                .errorLine()).isEqualTo("auditlog verify: --max-staleness: \"1x\" is not a duration (examples: 15m,"
                + " 1h, 2d, PT1H). See 'auditlog verify --help'.");
    }

    @Test
    void durationsAreAcceptedInTheFormsPeopleType() {
        assertThat(Converters.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Converters.duration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Converters.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Converters.duration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Converters.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Converters.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Converters.duration("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Converters.duration("pt15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Converters.duration("P2D")).isEqualTo(Duration.ofDays(2));
        for (String bad : List.of("", "1", "h", "1x", "1.5h", "PT", "-1h", "-PT1H", "PT-1H", "1 h",
                "99999999999999999999d")) {
            assertThatThrownBy(() -> Converters.duration(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("\"" + bad + "\" is not a duration (examples: 15m, 1h, 2d, PT1H)");
        }
    }

    @Test
    void aGoodDurationReachesTheCommand() {
        Path logs = tmp.resolve("logs");
        Run gen = run("generate", "--dir", logs.toString(), "--private-key", priv.toString(), "--count", "20");
        assertThat(gen.exit()).as(gen.err()).isZero();
        Run fresh = run("verify", logs.toString(), "--public-key", pub.toString(), "--max-staleness", "1h");
        assertThat(fresh.exit()).as(fresh.out() + fresh.err()).isZero();
        Run stale = run("verify", logs.toString(), "--public-key", pub.toString(), "--max-staleness", "1ms");
        assertThat(stale.exit()).as("the last checkpoint is older than a millisecond").isEqualTo(2);
        assertThat(stale.out()).contains("STALE");
    }

    @Test
    void aBadDateNamesTheOptionTheValueAndTheFormsThatWork() {
        assertThat(run("query", tmp.toString(), "--log", "x", "--from", "2026-13-01").errorLine())
                .isEqualTo("auditlog query: --from: \"2026-13-01\" is not a date or time (examples: 2026-12-01,"
                        + " 2026-12-01T10:00, 2026-12-01T10:00:00Z, 2026-12-01T10:00:00+01:00; without a zone it is"
                        + " UTC). See 'auditlog query --help'.");
        assertThat(run("query", tmp.toString(), "--log", "x", "--to", "yesterday").errorLine())
                .startsWith("auditlog query: --to: \"yesterday\" is not a date or time");
    }

    @Test
    void datesAreAcceptedWithOrWithoutATimeAndWithAZone() {
        assertThat(Converters.instant("2026-12-01")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(Converters.instant("2026-12-01T10:00")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(Converters.instant("2026-12-01 10:00")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(Converters.instant("2026-12-01T10:00:00Z")).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(Converters.instant("2026-12-01T10:00:00.250Z"))
                .isEqualTo(Instant.parse("2026-12-01T10:00:00.250Z"));
        assertThat(Converters.instant("2026-12-01T10:00:00+01:00"))
                .isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        assertThat(Converters.instant("2026-12-01T10:00-05:00")).isEqualTo(Instant.parse("2026-12-01T15:00:00Z"));
        for (String bad : List.of("", "2026-13-01", "2026-12-32", "12/01/2026", "2026-12-01T25:00", "now")) {
            assertThatThrownBy(() -> Converters.instant(bad)).as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageStartingWith("\"" + bad + "\" is not a date or time (examples: ");
        }
    }

    @Test
    void datesAndEnumsInAnyCaseReachTheQuery() {
        String url = "jdbc:h2:file:" + tmp.resolve("db").resolve("audit");
        Run gen = run("generate", "--jdbc", url, "--private-key", priv.toString(), "--count", "20");
        assertThat(gen.exit()).as(gen.err()).isZero();

        Run success = run("query", url, "--log", "default", "--outcome", "success", "--category", "data_access",
                "--from", "2000-01-01", "--to", "2100-01-01T00:00:00+01:00");
        assertThat(success.exit()).as(success.err()).isZero();
        assertThat(success.out()).contains("document.read");

        Run failure = run("query", url, "--log", "default", "--outcome", "Failure");
        assertThat(failure.exit()).as(failure.err()).isZero();
        assertThat(failure.out()).doesNotContain("document.read");

        Run future = run("query", url, "--log", "default", "--from", "2100-01-01");
        assertThat(future.exit()).as(future.err()).isZero();
        assertThat(future.out()).doesNotContain("document.read");
    }

    @Test
    void aBadEnumValueListsTheValuesThatWork() {
        assertThat(run("query", tmp.toString(), "--log", "x", "--outcome", "nope").errorLine())
                .startsWith("auditlog query: --outcome: \"nope\" is not one of SUCCESS, FAILURE")
                .contains("(in any case)").endsWith("See 'auditlog query --help'.");
    }

    @Test
    void aValueThatIsNotANumberSaysSoWithoutAJavaException() {
        assertThat(run("prove", "inclusion", tmp.toString(), "--seq", "ten").errorLine())
                .isEqualTo("auditlog prove inclusion: --seq: \"ten\" is not a whole number."
                        + " See 'auditlog prove inclusion --help'.");
    }

    @Test
    void aMissingRequiredOptionPointsAtTheHelpOfThatCommand() {
        assertThat(run("verify", tmp.toString()).errorLine()).startsWith("auditlog verify: Missing required option")
                .contains("--public-key").endsWith("See 'auditlog verify --help'.");
        assertThat(run("keygen").errorLine()).contains("--out").endsWith("See 'auditlog keygen --help'.");
        assertThat(run("prove", "inclusion", tmp.toString()).errorLine()).contains("--seq")
                .endsWith("See 'auditlog prove inclusion --help'.");
    }

    @Test
    void noCommandListsTheCommands() {
        assertThat(run().errorLine()).startsWith("auditlog: name a command: demo, keygen, generate, verify, prove,"
                + " tail, schema, query, prune").contains("help, completion").endsWith(". See 'auditlog --help'.");
        assertThat(run("prove").errorLine()).startsWith("auditlog prove: name a command: inclusion, consistency")
                .endsWith(". See 'auditlog prove --help'.");
    }

    @Test
    void anUnknownCommandSuggestsTheNearestAndTheHintHasOneSpace() {
        assertThat(run("verifu").errorLine())
                .isEqualTo("auditlog: unknown command \"verifu\"; did you mean verify? See 'auditlog --help'.");
        String noCommand = run("--bogus").errorLine();
        assertThat(noCommand).contains("--bogus").endsWith("See 'auditlog --help'.").doesNotContain("  ");
        assertThat(run("verify", tmp.toString(), "--public-key", pub.toString(), "--bogus").errorLine())
                .isEqualTo("auditlog verify: unknown option \"--bogus\". See 'auditlog verify --help'.");
    }

    @Test
    void aStrayArgumentIsNamedWithoutThePasswordAStoreUrlMayCarry() {
        String line = run("verify", tmp.toString(), "jdbc:postgresql://u:s3cret@db/audit?password=s3cret",
                "--public-key", pub.toString()).errorLine();
        assertThat(line).startsWith("auditlog verify: unexpected argument \"jdbc:postgresql://").contains("db/audit")
                .doesNotContain("s3cret").endsWith("See 'auditlog verify --help'.");
    }

    // ---------------------------------------------------------------- files

    @Test
    void aMissingPublicKeySaysWhichFileAndWhy() {
        Path nope = tmp.resolve("nope.pub");
        assertThat(run("verify", tmp.toString(), "--public-key", nope.toString()).errorLine())
                .isEqualTo("auditlog: cannot read public key " + nope + ": no such file");
        assertThat(run("verify", tmp.toString(), "--public-key", tmp.toString()).errorLine())
                .isEqualTo("auditlog: cannot read public key " + tmp + ": is a directory; --public-key wants the"
                        + " .pub file from keygen");
    }

    @Test
    void anUnreadablePrivateKeySaysPermissionDenied() throws Exception {
        Path locked = tmp.resolve("locked.key");
        Files.copy(priv, locked);
        assertThat(locked.toFile().setReadable(false, false)).isTrue();
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root");
        assertThat(run("generate", "--dir", tmp.resolve("logs").toString(), "--private-key", locked.toString(),
                "--count", "1").errorLine())
                .isEqualTo("auditlog: cannot read private key " + locked + ": permission denied");
    }

    @Test
    void thePrivateKeyGivenAsThePublicKeyIsNamedPlainly() {
        String line = run("verify", tmp.toString(), "--public-key", priv.toString()).errorLine();
        assertThat(line).isEqualTo("auditlog: " + priv + " is a private (signing) key; --public-key wants the .pub"
                + " file from keygen");
        assertThat(line).doesNotContain("PRIVATE+KEY");
    }

    @Test
    void thePublicKeyGivenAsThePrivateKeyIsNamedPlainly() {
        assertThat(run("generate", "--dir", tmp.resolve("logs").toString(), "--private-key", pub.toString(),
                "--count", "1").errorLine())
                .isEqualTo("auditlog: " + pub + " is a public (verifier) key; --private-key wants the .key file from"
                        + " keygen, which signs");
        assertThat(tmp.resolve("logs")).as("nothing written with a key that cannot sign").doesNotExist();
    }

    @Test
    void aFileThatIsNoKeyAtAllSaysWhatWasExpected() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello\n");
        assertThat(run("verify", tmp.toString(), "--public-key", text.toString()).errorLine())
                .startsWith("auditlog: " + text + " is not a public key file (")
                .endsWith("); --public-key wants the .pub file from keygen");
    }

    @Test
    void aFileProblemWhileRunningNamesTheFileTheOptionAndTheReason() {
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).errorLine())
                .isEqualTo("auditlog: " + keys.resolve("auditlog.key") + " (--out): already exists; refusing to"
                        + " overwrite a key file");
    }

    @Test
    void fileErrorsSayWhyInWordsWhereverTheyComeFrom() {
        assertThat(Errors.describe(new java.nio.file.AccessDeniedException("/a/b"), null))
                .isEqualTo("/a/b: permission denied");
        assertThat(Errors.describe(new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/a/c")),
                null)).isEqualTo("/a/c: no such file or directory");
        assertThat(Errors.describe(new java.nio.file.FileSystemException("/a/d", null, "Is a directory"), null))
                .isEqualTo("/a/d: is a directory");
        assertThat(Errors.describe(new IllegalStateException(), null)).doesNotContain("Exception")
                .contains("IllegalState").contains("report it");
    }

    @Test
    void aCommandErrorIsNotLabelledAnIoError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        String line = run("tail", empty.toString()).errorLine();
        assertThat(line).startsWith("auditlog: ").doesNotContain("I/O error");
    }
}
