package dev.auditlog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/**
 * The {@code auditlog} command. Exit codes: 0 valid, 1 tampered or invalid, 2 warnings only, 3 usage or I/O error
 * (including a store that does not support the operation asked for).
 */
@Command(name = "auditlog", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.Version.class,
        description = "Tamper-evident audit logs: write, verify, prove.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "1:tampered or invalid", "2:warnings only",
                "3:usage or I/O error, or the store does not support the operation"},
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog demo",
                "  auditlog verify file:/var/audit --public-key audit.pub --anchor /mnt/witness",
                "  auditlog help verify"},
        subcommands = {DemoCommand.class, KeygenCommand.class, GenerateCommand.class, VerifyCommand.class,
                ProveCommand.class, TailCommand.class, SchemaCommand.class, QueryCommand.class, PruneCommand.class,
                CollectCommand.class,
                HelpCommand.class, CompletionCommand.class})
public final class Main {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int WARNINGS = 2;
    static final int ERROR = 3;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Also show the database drivers' own log lines.")
    boolean verbose; // read from the arguments in run(), before any driver loads

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Stores.quietDrivers(java.util.List.of(args).contains("--verbose"));
        java.util.List<String> secrets = ScrubbingWriter.secretsOf(args);
        out = new PrintWriter(new ScrubbingWriter(out, secrets, false), true);
        err = new PrintWriter(new ScrubbingWriter(err, secrets, true), true);
        PrintWriter finalErr = err;
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> ERROR);
        cl.setParameterExceptionHandler((ex, a) -> {
            finalErr.println(Errors.usage(ex));
            return ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            finalErr.println("auditlog: " + Errors.describe(ex, parsed));
            return ERROR;
        });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The command tree with everything every command shares: the duration and time converters, case-insensitive
     * enum values. {@link CliDoc} renders the same tree into docs/CLI.md.
     */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        Converters.register(cl);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** The project version, filtered by Maven into {@code version.properties} so that it never drifts from the pom. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"auditlog " + version()};
        }

        static String version() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from the auditlog command's jar");
                }
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        }
    }
}
