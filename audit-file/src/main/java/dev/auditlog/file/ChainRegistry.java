package dev.auditlog.file;

import dev.auditlog.spi.ChainIds;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry of the chains under a sink directory: {@code <directory>/.chains/<chain id>.checkpoint}, created
 * when a writer first opens the chain (empty) and replaced atomically with the chain's latest signed checkpoint note
 * once the segment holding it is forced (see {@link LogWriter#write}). Kept apart from the chain directories, so a chain directory removed as a whole is still
 * listed, and the verifier reports it missing.
 */
final class ChainRegistry {
    static final String DIR = ".chains";
    private static final String SUFFIX = ".checkpoint";

    private ChainRegistry() {
    }

    /** Lists {@code chainId} if it is not listed yet. */
    static void register(WriterConfig config, String chainId) throws IOException {
        Path dir = config.directory().resolve(DIR);
        Fs.createDirectories(dir, Fs.dirPerms(config.groupReadable()));
        Path file = dir.resolve(ChainIds.check(chainId) + SUFFIX);
        if (!Files.exists(file)) {
            try {
                Files.createFile(file);
                Fs.permissions(file, Fs.filePerms(config.groupReadable()));
                Fs.fsyncDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process registered it first
            }
        }
    }

    /**
     * Replaces the chain's entry with a checkpoint whose record is already forced; only the chain's lease holder
     * calls this.
     */
    static void update(WriterConfig config, String chainId, String note) throws IOException {
        Path dir = config.directory().resolve(DIR);
        Path tmp = dir.resolve("." + chainId + SUFFIX + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Fs.permissions(tmp, Fs.filePerms(config.groupReadable()));
            Fs.writeFully(ch, ByteBuffer.wrap(note.getBytes(StandardCharsets.UTF_8)));
            config.forcer().force(ch, tmp);
        }
        Files.move(tmp, dir.resolve(chainId + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The registered chains of log {@code logId}, each with its latest checkpoint note, if any. */
    static Map<String, Optional<String>> list(Path directory, String logId) throws IOException {
        Map<String, Optional<String>> out = new TreeMap<>();
        Path dir = directory.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String chainId = name.substring(0, name.length() - SUFFIX.length());
                if (!ChainIds.belongsTo(chainId, logId)) {
                    continue;
                }
                try {
                    String note = Files.readString(f, StandardCharsets.UTF_8);
                    out.put(chainId, note.isEmpty() ? Optional.empty() : Optional.of(note));
                } catch (NoSuchFileException gone) {
                    // replaced between listing and reading: the rename is atomic, so read it again
                    out.put(chainId, Optional.of(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
