package dev.auditlog.cli;

import dev.auditlog.integrity.LogPruner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "prune", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog prune file:/var/audit --log payments --before 100000 \\",
                "      --private-key /etc/audit/auditlog.key"},
        description = "Retention, for stores that support it (file: deletes whole old segments):"
        + " remove old records after storing a signed retention checkpoint from which the verifier starts. Exit 3 when"
        + " the store does not support it.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--log", defaultValue = "default", description = "Log id (default: ${DEFAULT-VALUE}).")
    String logId;

    @Option(names = "--before", required = true, description = "Delete segments holding only records before this"
            + " sequence number.")
    long before;

    @Option(names = "--private-key", required = true, paramLabel = "FILE", description = "The log's signing key file.")
    Path privateKey;

    @Override
    public Integer call() throws Exception {
        if (before < 0) {
            throw new IllegalArgumentException("--before must be >= 0, was " + before);
        }
        LogPruner pruner = store.store().pruner();
        long first = pruner.prune(logId, before, KeyFiles.privateKey(privateKey));
        spec.commandLine().getOut().println("log " + logId + " now starts at record " + first);
        return Main.VALID;
    }
}
