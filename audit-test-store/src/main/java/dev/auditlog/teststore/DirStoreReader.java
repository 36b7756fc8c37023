package dev.auditlog.teststore;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads a {@link DirStore}'s files. It does not override {@link AuditReader#scan}: verification gets the default walk
 * over {@link #read}. Reads whole files into memory, which only a test store may do.
 */
public final class DirStoreReader implements AuditReader {
    private final Path dir;

    public DirStoreReader(Path dir) {
        this.dir = dir;
    }

    @Override
    public Set<String> chainIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + DirStore.SUFFIX)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - DirStore.SUFFIX.length());
                if (ChainIds.isValid(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    @Override
    public Stream<SealedRecord> read(String logId, long fromSequence) throws IOException {
        return records(dir.resolve(ChainIds.check(logId) + DirStore.SUFFIX)).stream()
                .filter(r -> r.sequence() >= fromSequence);
    }

    /** The complete lines of {@code file} as records; a last line without its terminator was never acknowledged. */
    static List<SealedRecord> records(Path file) throws IOException {
        List<SealedRecord> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                try {
                    out.add(SealedRecord.parse(Arrays.copyOfRange(all, start, i)));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": byte offset " + start + ": " + e.getMessage(), e);
                }
                start = i + 1;
            }
        }
        return out;
    }

    @Override
    public void close() {
    }
}
