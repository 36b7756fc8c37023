package dev.auditlog.cli;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerifierKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
