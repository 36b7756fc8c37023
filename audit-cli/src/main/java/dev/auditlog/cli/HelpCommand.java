package dev.auditlog.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;

/**
 * {@code auditlog help [COMMAND...]}: the same usage help as {@code --help}, for a command at any depth
 * ({@code auditlog help prove inclusion}). Picocli's own help command looks one level down only.
 */
@Command(name = "help", helpCommand = true, mixinStandardHelpOptions = true,
        description = "Show the usage help of a command (the same as COMMAND --help).",
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog help verify", "  auditlog help prove inclusion"})
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommand if it has"
            + " them; none for the overview.")
    String[] commands = {};

    private CommandLine self;
    private ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : commands) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                CommandSpec spec = target.getCommandSpec();
                throw new ParameterException(self, "unknown command \"" + name + "\""
                        + (spec.parent() == null ? "" : " for " + spec.qualifiedName()) + " (commands: "
                        + String.join(", ", target.getSubcommands().keySet()) + ")");
            }
            target = sub;
        }
        target.usage(out, colors);
    }
}
