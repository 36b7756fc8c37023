package dev.auditlog.spi;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Permissions of what holds evidence or keys (key directories, anchor directories and their files), set explicitly
 * rather than left to the process umask: 0700 on the directories this creates, 0600 on files. The file sink does the
 * same for log directories and segments (0750/0640 with its group-readable option). A no-op on file systems without
 * POSIX permissions.
 */
public final class PrivateFiles {
    /** Directories: owner only. */
    public static final String DIRECTORY = "rwx------";
    /** Files: owner read and write only. */
    public static final String FILE = "rw-------";

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} and its missing parents, setting each directory it creates to 0700 after creating it (a
     * mode given at creation is masked by the umask; a later chmod is not). Existing directories are left as they are.
     *
     * @throws IOException when a directory cannot be created or {@code dir} exists and is not one
     */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs);
            restrict(abs, DIRECTORY);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw new IOException(abs + " exists and is not a directory", e);
            }
        }
        return dir;
    }

    /** Sets 0600 on a file. */
    public static void restrictFile(Path file) throws IOException {
        restrict(file, FILE);
    }

    private static void restrict(Path p, String perms) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }
}
