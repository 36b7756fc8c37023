package dev.auditlog.cli;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerifierKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the key files that {@code keygen} writes, and says in one line what is wrong with one that does not read:
 * missing, unreadable, a directory, or the other half of the pair ({@code auditlog.key} given as the public key, or
 * {@code auditlog.pub} as the private one).
 */
final class KeyFiles {
    /** How every private key file begins ({@code SigningKey}'s encoding); public key files never do. */
    private static final byte[] PRIVATE_PREFIX = "PRIVATE+KEY+".getBytes(StandardCharsets.US_ASCII);

    private KeyFiles() {
    }

    /** The public (verifier) key in {@code file}, given as {@code --public-key}. */
    static VerifierKey publicKey(Path file) throws IOException {
        checkReadable(file, "public key", "--public-key wants the .pub file from keygen");
        try {
            return Ed25519Keys.readVerifierKey(file);
        } catch (IllegalArgumentException e) {
            if (isPrivateKey(file)) {
                throw new IllegalArgumentException(file + " is a private (signing) key; --public-key wants the .pub"
                        + " file from keygen");
            }
            throw new IllegalArgumentException(file + " is not a public key file (" + e.getMessage()
                    + "); --public-key wants the .pub file from keygen");
        }
    }

    /** The private (signing) key in {@code file}, given as {@code --private-key}. */
    static SigningKey privateKey(Path file) throws IOException {
        checkReadable(file, "private key", "--private-key wants the .key file from keygen");
        try {
            return Ed25519Keys.readSigningKey(file);
        } catch (IllegalArgumentException e) {
            if (isPublicKey(file)) {
                throw new IllegalArgumentException(file + " is a public (verifier) key; --private-key wants the .key"
                        + " file from keygen, which signs");
            }
            // SigningKey's messages never hold key material.
            throw new IllegalArgumentException(file + " is not a private key file (" + e.getMessage()
                    + "); --private-key wants the .key file from keygen");
        }
    }

    /**
     * The keys a verifier trusts: each {@code --public-key} file and each key in a trust file (one verifier key per
     * line, as in a .pub file; blank lines and lines starting with {@code #} are ignored; docs/FORMAT.md section 12).
     *
     * @throws IllegalArgumentException when none is given, a file does not read, or a line is not a key
     */
    static List<VerifierKey> trusted(List<Path> publicKeys, Path trustFile) throws IOException {
        List<VerifierKey> keys = new ArrayList<>();
        for (Path p : publicKeys == null ? List.<Path>of() : publicKeys) {
            keys.add(publicKey(p));
        }
        if (trustFile != null) {
            checkReadable(trustFile, "trust file", "--trust-file wants a file of public keys, one per line");
            List<String> lines = Files.readAllLines(trustFile, StandardCharsets.UTF_8);
            int found = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("PRIVATE+KEY+")) {
                    throw new IllegalArgumentException(trustFile + " line " + (i + 1) + " is a private (signing) key;"
                            + " a trust file holds public keys only");
                }
                try {
                    keys.add(VerifierKey.parse(line));
                    found++;
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(trustFile + " line " + (i + 1) + " is not a public key ("
                            + e.getMessage() + ")");
                }
            }
            if (found == 0) {
                throw new IllegalArgumentException(trustFile + " holds no public key (one per line, as in a .pub"
                        + " file)");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("give the log's public key: --public-key FILE (repeatable) or"
                    + " --trust-file FILE");
        }
        return keys;
    }

    private static void checkReadable(Path file, String what, String hint) throws IOException {
        String reason = null;
        if (Files.isDirectory(file)) {
            reason = "is a directory; " + hint;
        } else if (!Files.exists(file)) {
            reason = "no such file";
        } else if (!Files.isReadable(file)) {
            reason = "permission denied";
        }
        if (reason != null) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + reason);
        }
    }

    private static boolean isPrivateKey(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(PRIVATE_PREFIX.length);
            return Arrays.equals(head, PRIVATE_PREFIX);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isPublicKey(Path file) {
        try {
            Ed25519Keys.readVerifierKey(file);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
