package dev.auditlog.file;

import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The segment being appended to: its open file, how many records and bytes it holds, and, for a version 1 segment
 * continued after an upgrade, the running SHA-256 of its bytes that its footer states (version 2 has none:
 * docs/FILE-FORMAT.md explains why). Creating one writes its header; rotating one writes its footer.
 */
final class ActiveSegment {
    private static final int MAX_BUFFER = 1 << 20;

    private final String logId;
    private final Segments.SegmentFile file;
    private final Optional<Segment.Previous> previous;
    private final Instant created;
    private final FileChannel channel;
    /** Null in a version 2 segment. */
    private final MessageDigest digest;
    private long records;
    private long bytes;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    private ActiveSegment(String logId, Segments.SegmentFile file, Optional<Segment.Previous> previous,
                          Instant created, FileChannel channel, MessageDigest digest, long records, long bytes) {
        this.logId = logId;
        this.file = file;
        this.previous = previous;
        this.created = created;
        this.channel = channel;
        this.digest = digest;
        this.records = records;
        this.bytes = bytes;
    }

    /**
     * Creates segment {@code first} of the log: the header goes to {@code <name>.tmp}, which is forced and then
     * renamed, so that a segment file never exists without its complete header.
     */
    static ActiveSegment create(WriterConfig config, Path logDir, String logId, long first,
                                Segment.Previous previous) throws IOException {
        String name = SegmentFormat.fileName(first);
        Path target = logDir.resolve(name);
        Path tmp = logDir.resolve(name + ".tmp");
        byte[] header = SegmentFormat.header(SegmentFormat.VERSION, logId, first, previous);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Fs.permissions(tmp, Fs.filePerms(config.groupReadable()));
            Fs.writeFully(ch, line(header));
            config.forcer().force(ch, tmp);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Fs.fsyncDirectory(logDir);
        FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new ActiveSegment(logId, new Segments.SegmentFile(target, first), Optional.ofNullable(previous),
                config.clock().instant(), channel, null, 0, header.length + 1);
    }

    /** Continues the segment that recovery scanned: appending goes on after its last valid line. */
    static ActiveSegment resume(String logId, SegmentScan scan) throws IOException {
        Path path = scan.file().path();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try {
            if (channel.size() != scan.validEnd()) {
                throw new IOException(path + ": size " + channel.size() + " does not match the recovered end "
                        + scan.validEnd());
            }
            // age counts from the file's creation, so that restarts do not keep a segment open forever
            Instant created = Files.readAttributes(path, BasicFileAttributes.class).creationTime().toInstant();
            return new ActiveSegment(logId, scan.file(), scan.header().previous(), created, channel,
                    scan.header().version() == 1 ? scan.digest() : null, scan.records(), scan.validEnd());
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(channel, e);
            throw e;
        }
    }

    Segments.SegmentFile file() {
        return file;
    }

    Path path() {
        return file.path();
    }

    /** The header's link to the segment before this one; empty for a log's first segment. */
    Optional<Segment.Previous> previous() {
        return previous;
    }

    /**
     * Writes the lines of {@code batch} (not forced); the digest covers exactly the bytes written. Returns how many
     * bytes that was.
     */
    long append(List<SealedRecord> batch) throws IOException {
        buffer.clear();
        for (SealedRecord r : batch) {
            int need = r.lineLength() + 1;
            if (buffer.remaining() < need) {
                drain();
                if (buffer.capacity() < need) {
                    buffer = ByteBuffer.allocate(Math.max(need, Math.min(MAX_BUFFER, buffer.capacity() * 2)));
                }
            }
            buffer.put(r.lineBuffer()).put((byte) '\n');
        }
        drain();
        long written = 0;
        for (SealedRecord r : batch) {
            written += r.lineLength() + 1;
        }
        bytes += written;
        records += batch.size();
        return written;
    }

    private void drain() throws IOException {
        buffer.flip();
        if (digest != null) {
            digest.update(buffer.duplicate());
        }
        Fs.writeFully(channel, buffer);
        buffer.clear();
    }

    void force(Forcer forcer) throws IOException {
        forcer.force(channel, file.path());
    }

    /** Tells {@code behind} that {@code written} more bytes are in this file (see {@link WriteBehind}). */
    void forceBehind(WriteBehind behind, long written) {
        behind.written(channel, file.path(), written);
    }

    /** Whether the segment reached its size or age limit and is to be rotated. */
    boolean rotationDue(WriterConfig config) {
        return bytes >= config.segmentSize() || !config.clock().instant().isBefore(created.plus(config.segmentAge()));
    }

    /** Writes the footer line, after which the segment takes no more records (not forced). */
    void writeFooter(long lastSequence, byte[] lastChain) throws IOException {
        byte[] footer = SegmentFormat.footer(new SegmentFormat.Footer(logId, file.first(), lastSequence, records,
                SegmentFormat.HEX.formatHex(lastChain), digest == null ? ""
                : SegmentFormat.HEX.formatHex(SegmentFormat.digestSoFar(digest))));
        Fs.writeFully(channel, line(footer));
        if (digest != null) {
            digest.update(line(footer));
        }
    }

    /** What the next segment's header says about this one, complete as it is now; call once, after the footer. */
    Segment.Previous link(long lastSequence, byte[] lastChain) {
        return new Segment.Previous(file.name(), lastSequence, SegmentFormat.HEX.formatHex(lastChain), records,
                digest == null ? "" : SegmentFormat.HEX.formatHex(digest.digest()));
    }

    void close() throws IOException {
        channel.close();
    }

    /** Closes the file of a segment that is given up anyway. */
    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the segment is abandoned: nothing more is written to it
        }
    }

    private static ByteBuffer line(byte[] bytes) {
        return ByteBuffer.allocate(bytes.length + 1).put(bytes).put((byte) '\n').flip();
    }

    private static void closeAfterFailure(FileChannel channel, Exception failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
