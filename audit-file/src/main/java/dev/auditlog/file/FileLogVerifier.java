package dev.auditlog.file;

import dev.auditlog.file.internal.Segments;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Feeds a file log to a {@link ChainVerifier} the way every store's log is verified: through
 * {@link FileAuditReader#scan(String, LogScan)}. New code should use {@link dev.auditlog.integrity.LogVerifier}
 * with a {@link FileAuditReader}, which does the same and the end-of-log checks in one call; this class stays only
 * until its last callers move, and will then be removed.
 */
public final class FileLogVerifier {

    private FileLogVerifier() {
    }

    /**
     * Streams log {@code logId} under {@code dir} through {@code verifier}, segment structure included. Call
     * {@link ChainVerifier#finish()} afterwards.
     *
     * @param progress told once per record (for progress reports); may ignore it
     * @return the number of segment files
     * @throws IOException when the log directory cannot be read
     */
    public static long verify(Path dir, String logId, ChainVerifier verifier, LongConsumer progress)
            throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(progress, "progress");
        FileAuditReader files = FileAuditReader.open(dir);
        verifier.readFrom(new AuditReader() {
            @Override
            public Set<String> logIds() throws IOException {
                return files.logIds();
            }

            @Override
            public Stream<SealedRecord> read(String id, long fromSequence) throws IOException {
                return files.read(id, fromSequence);
            }

            @Override
            public void scan(String id, LogScan scan) throws IOException {
                files.scan(id, new LogScan() {
                    @Override
                    public long retentionStart(String signedCheckpoint, List<byte[]> range, String location) {
                        return scan.retentionStart(signedCheckpoint, range, location);
                    }

                    @Override
                    public void record(SealedRecord record, String location) {
                        scan.record(record, location);
                        progress.accept(record.sequence());
                    }

                    @Override
                    public void unreadable(long sequenceHint, String location, String message) {
                        scan.unreadable(sequenceHint, location, message);
                    }

                    @Override
                    public void storageMismatch(long sequence, String location, String message) {
                        scan.storageMismatch(sequence, location, message);
                    }

                    @Override
                    public void recovered(long sequence, String location, String message) {
                        scan.recovered(sequence, location, message);
                    }
                });
            }

            @Override
            public void close() {
            }
        });
        Path logDir = dir.resolve(logId);
        return Files.isDirectory(logDir) ? Segments.list(logDir).size() : 0;
    }
}
