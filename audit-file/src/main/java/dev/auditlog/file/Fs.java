package dev.auditlog.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** File-system helpers that degrade gracefully where POSIX permissions or directory fsync are unavailable. */
final class Fs {
    private Fs() {
    }

    public static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Sets permissions like {@code rw-------}, where the file system supports POSIX permissions. */
    public static void permissions(Path p, String perms) throws IOException {
        if (posix(p)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }

    public static String dirPerms(boolean groupReadable) {
        return groupReadable ? "rwxr-x---" : "rwx------";
    }

    public static String filePerms(boolean groupReadable) {
        return groupReadable ? "rw-r-----" : "rw-------";
    }

    public static String readOnlyPerms(boolean groupReadable) {
        return groupReadable ? "r--r-----" : "r--------";
    }

    /** Creates {@code dir} and missing parents; directories this call creates get {@code perms}. */
    public static void createDirectories(Path dir, String perms) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectories(parent, perms);
        }
        try {
            Files.createDirectory(abs);
            permissions(abs, perms);
            if (parent != null) {
                fsyncDirectory(parent);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw new IOException(abs + " exists and is not a directory", e);
            }
        }
    }

    /** Makes a directory entry change (create, rename, delete) durable; a no-op where directories cannot be opened. */
    public static void fsyncDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // e.g. Windows: directories cannot be opened; NTFS journals metadata itself
        }
        try (ch) {
            ch.force(true);
        }
    }

    /** Writes all of {@code b}: a channel may write less than asked in one call. */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
