package dev.auditlog.cli;

import dev.auditlog.file.FileAuditSink;
import dev.auditlog.integrity.Ed25519Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "prune", description = "Retention: delete whole old segments of a file log after writing a signed"
        + " retention checkpoint from which the verifier starts.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "Log directory.")
    Path dir;

    @Option(names = "--log", defaultValue = "default", description = "Log id (default: ${DEFAULT-VALUE}).")
    String logId;

    @Option(names = "--before", required = true, description = "Delete segments holding only records before this"
            + " sequence number.")
    long before;

    @Option(names = "--private-key", required = true, description = "The log's signing key file.")
    Path privateKey;

    @Override
    public Integer call() throws Exception {
        long first = FileAuditSink.prune(dir, logId, before, Ed25519Keys.readSigningKey(privateKey));
        spec.commandLine().getOut().println("log " + logId + " now starts at record " + first);
        return Main.VALID;
    }
}
