package dev.auditlog.file;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the logs a {@link FileAuditSink} stored under one directory, lazily and in constant memory. It may be used
 * while a sink is writing: it sees what was written when it reaches that point.
 *
 * <p>{@link #read(String, long)} returns records as {@link SealedRecord#parse(byte[])} reads them from the stored
 * bytes. Segment header and seal lines are skipped, as is an unterminated last line of a segment (a torn write,
 * never acknowledged). Where an abandoned segment overlaps the following one, the following segment's copies are
 * returned and the abandoned segment's copies must be byte-identical. A line that is not a record, or a difference
 * in an overlap, surfaces as {@link UncheckedIOException} naming the file and byte offset. The reader does not
 * check the hash chain: {@link dev.auditlog.integrity.LogVerifier} does, through {@link #scan(String, LogScan)},
 * which also checks the segment structure.
 *
 * <p>For independent verifiers, {@link #segments(String)} and {@link #lines(Path)} expose the files and their raw
 * lines with byte offsets; the layout is specified in {@code docs/FILE-FORMAT.md}.
 */
public final class FileAuditReader implements AuditReader {
    private final Path directory;

    private FileAuditReader(Path directory) {
        this.directory = directory;
    }

    /**
     * A reader over the logs under {@code directory} (each log in {@code directory/<logId>/}). The directory need
     * not exist yet.
     */
    public static FileAuditReader open(Path directory) {
        return new FileAuditReader(Objects.requireNonNull(directory, "directory"));
    }

    /** The directory this reader reads. */
    public Path directory() {
        return directory;
    }

    /** The ids of the logs that have at least one segment file, sorted. */
    @Override
    public Set<String> chainIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (ChainIds.isValid(name) && !Segments.list(p).isEmpty()) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    /** The chains of log {@code logId}: those in the registry ({@code .chains/}) and those with segments. */
    @Override
    public List<ChainInfo> chains(String logId) throws IOException {
        LogIds.check(logId);
        java.util.Map<String, Optional<String>> chains = ChainRegistry.list(directory, logId);
        for (String id : chainIds()) {
            if (ChainIds.belongsTo(id, logId)) {
                chains.putIfAbsent(id, Optional.empty());
            }
        }
        return chains.entrySet().stream().map(e -> new ChainInfo(e.getKey(), e.getValue())).toList();
    }

    /**
     * The records of {@code logId} with a sequence number {@code >= fromSequence}, in order, read lazily. Starts at
     * the segment whose file name says it holds {@code fromSequence}. Close the stream.
     *
     * @throws IOException when {@code logId} is not a valid log id
     */
    @Override
    public Stream<SealedRecord> read(String logId, long fromSequence) throws IOException {
        Path logDir = logDir(logId);
        RecordIterator it = new RecordIterator(logId, Segments.list(logDir), Math.max(0, fromSequence));
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(it::close);
    }

    /**
     * Walks log {@code logId} for the verifier: every record with its file and byte offset, and the segment structure
     * as {@code docs/FILE-FORMAT.md} specifies it — segment headers and their links, seal lines, overlaps left by
     * abandoned segments, recovery records and torn last lines, and the retention checkpoint of a pruned log. Every
     * problem in the files is handed to {@code scan}; only I/O errors throw.
     *
     * @throws IOException when {@code logId} is not a valid log id, the log does not exist or cannot be read
     */
    @Override
    public void scan(String logId, LogScan scan) throws IOException {
        Objects.requireNonNull(scan, "scan");
        logDir(logId);
        SegmentWalk.scan(directory, logId, scan);
    }

    /** The sizes of the log's segment files: its records plus each segment's header and footer line. */
    @Override
    public OptionalLong storedBytes(String logId) throws IOException {
        long bytes = 0;
        for (Segments.SegmentFile f : Segments.list(logDir(logId))) {
            bytes += Files.size(f.path());
        }
        return OptionalLong.of(bytes);
    }

    /**
     * The segments of {@code logId} in order of their first sequence, each described by its header and whether it
     * ends with a footer line. Files whose names are not segment names are ignored (locks, quarantine files, abandoned
     * segments that were renamed).
     *
     * @throws IOException when a segment's header is missing or malformed; the message names the file
     */
    public List<Segment> segments(String logId) throws IOException {
        List<Segment> out = new ArrayList<>();
        for (Segments.SegmentFile f : Segments.list(logDir(logId))) {
            out.add(Segments.describe(f.path(), logId));
        }
        return out;
    }

    /**
     * The raw lines of one file with their byte offsets, lazily; the last line is unterminated when the file does
     * not end with {@code '\n'}. Close the stream. An I/O failure while streaming surfaces as
     * {@link UncheckedIOException}.
     */
    public static Stream<RawLine> lines(Path file) throws IOException {
        LineReader reader = new LineReader(file);
        Iterator<RawLine> it = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return reader.hasNext();
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }

            @Override
            public RawLine next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    return reader.next();
                } catch (IOException e) {
                    throw new UncheckedIOException(e.getMessage(), e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                false).onClose(() -> {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private Path logDir(String logId) throws IOException {
        Objects.requireNonNull(logId, "logId");
        if (!ChainIds.isValid(logId)) {
            throw new IOException("not a valid chain id: \"" + (logId.length() > 64 ? logId.substring(0, 64) + "..."
                    : logId) + "\" (must match " + ChainIds.RULE + ")");
        }
        return directory.resolve(logId);
    }

    /** Nothing to release: streams hold their own files. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "FileAuditReader[" + directory + "]";
    }
}
