package dev.auditlog.integrity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Generation of Ed25519 note keys and their storage in files.
 *
 * <p>A key file holds the key's text encoding ({@link SigningKey#encode()} or {@link VerifierKey#encode()})
 * followed by one newline. Files are written to a temporary file in the target directory, created with its
 * final POSIX permissions ({@code rw-------} for private keys, {@code rw-r--r--} for public keys, subject to
 * the process umask) and then atomically renamed into place; permissions are never widened after creation.
 * On file systems without POSIX permissions the file is created with the file system's defaults. Existing
 * files are never overwritten.
 */
public final class Ed25519Keys {

    private static final Set<PosixFilePermission> PRIVATE_PERMS = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private Ed25519Keys() {
    }

    /**
     * Generates a new key pair using a fresh {@link SecureRandom}.
     *
     * @param name the key name: non-empty, without '+' and without Unicode spaces
     * @return the new signing key; its public half is {@link SigningKey#verifierKey()}
     * @throws IllegalArgumentException if the name is invalid
     */
    public static SigningKey generate(String name) {
        return generate(name, new SecureRandom());
    }

    /**
     * Generates a new key pair from the given randomness source.
     *
     * @param name the key name: non-empty, without '+' and without Unicode spaces
     * @param random the randomness source (use a {@link SecureRandom})
     * @return the new signing key
     * @throws IllegalArgumentException if the name is invalid
     */
    public static SigningKey generate(String name, SecureRandom random) {
        KeyNames.check(name, "name");
        Checks.notNull(random, "random");
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        byte[] seed = ((Ed25519PrivateKeyParameters) pair.getPrivate()).getEncoded();
        try {
            return SigningKey.of(name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Writes a private key file with permissions {@code 0600} (where POSIX permissions are supported).
     *
     * @param file the file to create; must not exist
     * @param key the key to store
     * @throws FileAlreadyExistsException if {@code file} exists
     * @throws IOException if writing fails
     */
    public static void writeSigningKey(Path file, SigningKey key) throws IOException {
        Checks.notNull(file, "file");
        Checks.notNull(key, "key");
        byte[] content = (key.encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            writeAtomically(file, content, PRIVATE_PERMS);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * Writes a public key file with permissions {@code 0644} (where POSIX permissions are supported).
     *
     * @param file the file to create; must not exist
     * @param key the key to store
     * @throws FileAlreadyExistsException if {@code file} exists
     * @throws IOException if writing fails
     */
    public static void writeVerifierKey(Path file, VerifierKey key) throws IOException {
        Checks.notNull(file, "file");
        Checks.notNull(key, "key");
        writeAtomically(file, (key.encode() + "\n").getBytes(StandardCharsets.UTF_8), PUBLIC_PERMS);
    }

    /**
     * Reads a private key file written by {@link #writeSigningKey(Path, SigningKey)}: the encoding, optionally
     * followed by one newline ({@code \n} or {@code \r\n}).
     *
     * @param file the key file
     * @return the signing key
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the content is not a valid private key
     */
    public static SigningKey readSigningKey(Path file) throws IOException {
        return SigningKey.parse(readKeyText(file));
    }

    /**
     * Reads a public key file written by {@link #writeVerifierKey(Path, VerifierKey)}: the encoding, optionally
     * followed by one newline ({@code \n} or {@code \r\n}).
     *
     * @param file the key file
     * @return the verifier key
     * @throws IOException if reading fails
     * @throws IllegalArgumentException if the content is not a valid verifier key
     */
    public static VerifierKey readVerifierKey(Path file) throws IOException {
        return VerifierKey.parse(readKeyText(file));
    }

    private static String readKeyText(Path file) throws IOException {
        Checks.notNull(file, "file");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }

    private static void writeAtomically(Path file, byte[] content, Set<PosixFilePermission> perms)
            throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite a key file");
        }
        Path tmp = createTemp(dir, target.getFileName().toString(), perms);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite a key file");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static Path createTemp(Path dir, String baseName, Set<PosixFilePermission> perms) throws IOException {
        String prefix = "." + baseName + ".";
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(perms);
            try {
                return Files.createTempFile(dir, prefix, ".tmp", attr);
            } catch (UnsupportedOperationException e) {
                // Fall through to the file system defaults.
            }
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }
}
