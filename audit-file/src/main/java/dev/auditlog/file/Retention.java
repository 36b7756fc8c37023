package dev.auditlog.file;

import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.LogPruner;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Retention for a file log (docs/FILE-FORMAT.md, "Retention"): whole old segments are deleted only under a signed
 * retention statement the log has sealed into its chain (docs/FORMAT.md section 11). The statement's record is first
 * stored beside the segments ({@code pruned.retention}, the record's line), where a verifier finds the point the log
 * starts from; then the segments before it are deleted. Runs while the sink holds the log's lock.
 */
final class Retention implements LogPruner {
    /** The retention record the log starts from: one line, the record's exact bytes, then {@code \n}. */
    static final String STATEMENT_FILE = "pruned.retention";
    /** Version 1 (auditlog 0.1): a plain checkpoint, which proves no retention; read only to say so. */
    static final String LEGACY_CHECKPOINT_FILE = "pruned.checkpoint";
    static final String LEGACY_RANGE_FILE = "pruned.range";

    private final Path dir;

    Retention(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** What storage keeps of a pruned log's start: the signed note, its range, and the file it came from. */
    record Start(String note, List<byte[]> range, String location) {
    }

    /**
     * The start storage keeps for a pruned log, if any.
     *
     * @throws IOException when the file cannot be read or is not a retention record (or a version 1 checkpoint)
     */
    static Optional<Start> read(Path logDir) throws IOException {
        Path statement = logDir.resolve(STATEMENT_FILE);
        if (Files.exists(statement)) {
            byte[] bytes = Files.readAllBytes(statement);
            int n = bytes.length;
            if (n == 0 || bytes[n - 1] != '\n') {
                throw new IOException(STATEMENT_FILE + " must hold one retention record ending with a newline");
            }
            try {
                SealedRecord r = SealedRecord.parse(Arrays.copyOf(bytes, n - 1));
                if (!SealedRecord.TYPE_RETENTION.equals(r.type())) {
                    throw new IllegalArgumentException("the record is of type \"" + r.type() + "\", not retention");
                }
                return Optional.of(new Start(r.statementNote().orElseThrow(), r.statementRange().orElseThrow(),
                        STATEMENT_FILE));
            } catch (IllegalArgumentException e) {
                throw new IOException(STATEMENT_FILE + " is not a retention record: " + e.getMessage());
            }
        }
        Path note = logDir.resolve(LEGACY_CHECKPOINT_FILE);
        Path range = logDir.resolve(LEGACY_RANGE_FILE);
        if (!Files.exists(note) || !Files.exists(range)) {
            return Optional.empty();
        }
        List<byte[]> hashes = new ArrayList<>();
        for (String line : Files.readAllLines(range, StandardCharsets.US_ASCII)) {
            if (!line.isEmpty()) {
                try {
                    hashes.add(Base64.getDecoder().decode(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(LEGACY_RANGE_FILE + ": not base64: " + e.getMessage());
                }
            }
        }
        return Optional.of(new Start(Files.readString(note, StandardCharsets.UTF_8), hashes, LEGACY_CHECKPOINT_FILE));
    }

    @Override
    public long cutPoint(String logId, long before) throws IOException {
        List<Segments.SegmentFile> files = segments(logId);
        if (files.isEmpty()) {
            return 0;
        }
        int keepFrom = 0;
        for (int i = 1; i < files.size(); i++) { // the last segment, the one being written, always stays
            if (files.get(i).first() <= before) {
                keepFrom = i;
            }
        }
        return files.get(keepFrom).first();
    }

    @Override
    public void prune(String logId, SealedRecord statement) throws IOException {
        if (!SealedRecord.TYPE_RETENTION.equals(statement.type()) || !statement.logId().equals(logId)) {
            throw new IllegalArgumentException("statement must be a retention record of log " + logId + ", was "
                    + statement);
        }
        long cut = firstKept(statement.statementNote().orElseThrow());
        List<Segments.SegmentFile> files = segments(logId);
        if (files.stream().noneMatch(f -> f.first() == cut)) {
            throw new IOException("no segment of " + dir.resolve(logId) + " starts at record " + cut
                    + "; a file log is cut at segment boundaries only: nothing was deleted");
        }
        Path logDir = dir.resolve(logId);
        writeAtomically(logDir.resolve(STATEMENT_FILE), statement.lineText() + "\n");
        Files.deleteIfExists(logDir.resolve(LEGACY_CHECKPOINT_FILE));
        Files.deleteIfExists(logDir.resolve(LEGACY_RANGE_FILE));
        Fs.fsyncDirectory(logDir);
        for (Segments.SegmentFile f : files) {
            if (f.first() < cut) {
                f.path().toFile().setWritable(true, true);
                Files.delete(f.path());
            }
        }
        Fs.fsyncDirectory(logDir);
    }

    /** The first record a retention note keeps: the size line, the second of its text. */
    private static long firstKept(String note) {
        String[] lines = note.split("\n", 3);
        try {
            return Long.parseLong(lines[1]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a retention statement: no size line");
        }
    }

    private List<Segments.SegmentFile> segments(String logId) throws IOException {
        Path logDir = dir.resolve(LogIds.check(logId));
        if (!Files.isDirectory(logDir)) {
            throw new IOException("no log \"" + logId + "\" in " + dir + " (missing directory " + logDir + ")");
        }
        return Segments.list(logDir);
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
