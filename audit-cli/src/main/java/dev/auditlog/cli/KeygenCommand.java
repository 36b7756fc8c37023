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
                "  auditlog keygen --out keys --name payments",
                "  auditlog keygen --out /etc/audit --file-name auditlog-2026"})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Directory for the key files (auditlog.key, 0600, and"
            + " auditlog.pub; see --file-name); created 0700 if missing.")
    Path out;

    @Option(names = "--name", defaultValue = "auditlog", description = "Key name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--file-name", defaultValue = "auditlog", paramLabel = "BASE", description = "Write BASE.key and"
            + " BASE.pub (default: ${DEFAULT-VALUE}), so that a new key for auditlog rotate can sit beside the old.")
    String fileName;

    @Override
    public Integer call() throws Exception {
        dev.auditlog.spi.PrivateFiles.createDirectories(out); // 0700 whatever the umask: nobody else may swap keys
        SigningKey key = Ed25519Keys.generate(name);
        if (!fileName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("--file-name must be 1-64 characters from A-Z a-z 0-9 . _ - (a file"
                    + " name, not a path), was \"" + fileName + "\"");
        }
        Path priv = out.resolve(fileName + ".key");
        Path pub = out.resolve(fileName + ".pub");
        Ed25519Keys.writeSigningKey(priv, key);
        Ed25519Keys.writeVerifierKey(pub, key.verifierKey());
        spec.commandLine().getOut().println("private key: " + priv + " (keep it secret; mode 0600)");
        spec.commandLine().getOut().println("public key:  " + pub);
        spec.commandLine().getOut().println("verifier key: " + key.verifierKey().encode());
        return Main.VALID;
    }
}
