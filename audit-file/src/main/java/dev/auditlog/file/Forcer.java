package dev.auditlog.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** The one place a segment is forced to stable storage; a seam for tests that inject a failed fsync. */
@FunctionalInterface
interface Forcer {
    /** Forces {@code channel} (of {@code file}) with {@code FileChannel.force(false)}. */
    Forcer DEFAULT = (channel, file) -> channel.force(false);

    void force(FileChannel channel, Path file) throws IOException;
}
