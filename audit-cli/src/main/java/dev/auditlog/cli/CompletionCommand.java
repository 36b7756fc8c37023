package dev.auditlog.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Prints the bash and zsh completion script for the whole command tree, which picocli generates. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the bash/zsh completion script for the auditlog command. It completes the command"
                + " named auditlog, so define that first (an alias or a script on the PATH), then source the"
                + " script in the shell or its startup file."},
        footerHeading = "%nExamples:%n",
        footer = {"  alias auditlog='java -jar audit-cli/target/auditlog.jar'",
                "  source <(java -jar audit-cli/target/auditlog.jar completion)",
                "  auditlog completion > /etc/bash_completion.d/auditlog"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash("auditlog", spec.root().commandLine()));
        out.flush();
        return Main.VALID;
    }
}
