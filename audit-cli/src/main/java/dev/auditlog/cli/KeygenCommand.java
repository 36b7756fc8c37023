package dev.auditlog.cli;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate an Ed25519 key pair for signing checkpoints.",
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog keygen --out /etc/audit",
                "  auditlog keygen --out keys --name payments"})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Directory for auditlog.key (0600) and auditlog.pub; created 0700 if missing.")
    Path out;

    @Option(names = "--name", defaultValue = "auditlog", description = "Key name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws Exception {
        dev.auditlog.spi.PrivateFiles.createDirectories(out); // 0700 whatever the umask: nobody else may swap keys
        SigningKey key = Ed25519Keys.generate(name);
        Path priv = out.resolve("auditlog.key");
        Path pub = out.resolve("auditlog.pub");
        Ed25519Keys.writeSigningKey(priv, key);
        Ed25519Keys.writeVerifierKey(pub, key.verifierKey());
        spec.commandLine().getOut().println("private key: " + priv + " (keep it secret; mode 0600)");
        spec.commandLine().getOut().println("public key:  " + pub);
        spec.commandLine().getOut().println("verifier key: " + key.verifierKey().encode());
        return Main.VALID;
    }
}
