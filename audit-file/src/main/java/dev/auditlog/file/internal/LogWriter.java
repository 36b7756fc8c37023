package dev.auditlog.file.internal;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import dev.auditlog.file.Durability;
import dev.auditlog.file.RawLine;
import dev.auditlog.file.Segment;
import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainHasher;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Appends one log's records to its segment files: lock, recovery on open, batching, forcing, rotation, abandonment
 * after a failed force. Not thread-safe: the log calls it from one thread.
 */
public final class LogWriter {
    private static final int RECENT = 512;
    private static final int MAX_BUFFER = 1 << 20;

    private final WriterConfig config;
    private final String logId;
    private final Path logDir;
    private final DirLock lock;
    private final ChainHasher hasher = new ChainHasher();
    private final List<AuditEvent> notices = new ArrayList<>();
    /** Lines of the newest records, for checking redeliveries without reading the disk. */
    private final ArrayDeque<SealedRecord> recent = new ArrayDeque<>();
    private long recentFirst;

    private long lastSeq = -1;
    private byte[] lastChain;

    // the segment being appended to, or null when the next write starts a new one
    private FileChannel channel;
    private Path segPath;
    private long segFirst;
    private long segRecords;
    private long segBytes;
    private MessageDigest segDigest;
    private Instant segCreated;
    private Optional<Segment.Previous> segPrevious = Optional.empty();
    private long firstUnforced = -1;
    private Instant lastForce;

    // what the next segment's header says about its predecessor
    private Segment.Previous nextPrevious;
    private Path abandoned;
    private long abandonedFirst;
    private Optional<Segment.Previous> abandonedPrevious = Optional.empty();

    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private boolean closed;
    private boolean checkpointWanted;

    private LogWriter(WriterConfig config, String logId, Path logDir, DirLock lock) {
        this.config = config;
        this.logId = logId;
        this.logDir = logDir;
        this.lock = lock;
        this.lastChain = ChainHash.genesis(logId);
        this.lastForce = config.clock().instant();
    }

    /** Locks the log directory and recovers its last segment. */
    public static LogWriter open(WriterConfig config, String logId) throws IOException {
        String dirPerms = Fs.dirPerms(config.groupReadable());
        Fs.createDirectories(config.directory(), dirPerms);
        Path logDir = config.directory().resolve(logId);
        Fs.createDirectories(logDir, dirPerms);
        DirLock lock = DirLock.acquire(logDir, Fs.filePerms(config.groupReadable()));
        LogWriter w = new LogWriter(config, logId, logDir, lock);
        try {
            w.recover();
        } catch (IOException | RuntimeException e) {
            w.closeQuietly();
            throw e;
        }
        return w;
    }

    public Optional<ChainHead> head() {
        return lastSeq < 0 ? Optional.empty() : Optional.of(ChainHead.of(lastSeq, lastChain));
    }

    /** True once after a segment was sealed: the log then writes a checkpoint covering it. */
    public boolean takeCheckpointWanted() {
        boolean wanted = checkpointWanted;
        checkpointWanted = false;
        return wanted;
    }

    public List<AuditEvent> takeNotices() {
        List<AuditEvent> out = List.copyOf(notices);
        notices.clear();
        return out;
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(logDir, "*" + SegmentFormat.SUFFIX + ".tmp")) {
            for (Path p : tmp) {
                Files.delete(p); // a segment whose creation did not complete: it only ever held a header
            }
        }
        List<Segments.SegmentFile> files = Segments.list(logDir);
        if (files.isEmpty()) {
            return;
        }
        Segments.SegmentFile last = files.get(files.size() - 1);
        Path file = last.path();
        MessageDigest digest = sha256();
        SegmentFormat.Header header;
        long records = 0;
        boolean sealed = false;
        long validEnd;
        Path marker = abandonMarker(file);
        long carryFrom = Files.exists(marker) ? readMarker(marker) : Long.MAX_VALUE;
        List<SealedRecord> carry = new ArrayList<>();
        byte[] chainBeforeCarry = null;
        try (LineReader r = new LineReader(file)) {
            header = Segments.header(r, logId);
            byte[] headerBytes = SegmentFormat.header(logId, header.first(), header.previous().orElse(null));
            digest.update(headerBytes);
            digest.update((byte) '\n');
            validEnd = headerBytes.length + 1;
            if (header.previous().isPresent()) {
                lastSeq = header.previous().get().lastSequence();
                lastChain = SegmentFormat.HEX.parseHex(header.previous().get().lastChain());
            }
            long expected = header.first();
            RawLine line;
            while ((line = r.next()) != null) {
                String problem;
                if (sealed) {
                    problem = "line after the segment seal";
                } else if (!line.terminated()) {
                    problem = "incomplete line (no line terminator)";
                } else if (line.kind() == RawLine.Kind.SEGMENT_SEAL) {
                    problem = checkSeal(line.bytes(), header.first(), records, digest);
                    sealed = problem == null;
                } else {
                    problem = checkRecord(line.bytes(), expected);
                    if (problem == null) {
                        SealedRecord rec = SealedRecord.parse(line.bytes());
                        if (rec.sequence() >= carryFrom) {
                            carry.add(rec);
                        } else {
                            chainBeforeCarry = rec.chainHash();
                        }
                        lastSeq = rec.sequence();
                        lastChain = rec.chainHash();
                        remember(rec);
                        expected++;
                        records++;
                    }
                }
                if (problem != null) {
                    if (r.hasNext()) {
                        throw new IOException(file + ": byte offset " + line.offset() + ": " + problem
                                + ", followed by more lines: corruption or tampering; refusing to append (the"
                                + " log needs manual inspection)");
                    }
                    quarantine(file, line, problem);
                    break;
                }
                digest.update(line.bytes());
                digest.update((byte) '\n');
                validEnd = line.offset() + line.storedLength();
            }
        }
        if (!sealed && carryFrom != Long.MAX_VALUE) {
            // Abandoned after a failed force by an earlier process: never append to it again (the fsync lesson).
            // Its records from the first unforced one on are valid sealed records whose durability is unknown:
            // copy them into a new segment and force it, as the failed process would have done on its retry.
            abandoned = file;
            abandonedFirst = header.first();
            abandonedPrevious = header.previous();
            if (!carry.isEmpty()) {
                lastSeq = carry.get(0).sequence() - 1;
                if (chainBeforeCarry != null) {
                    lastChain = chainBeforeCarry;
                } else if (header.previous().isPresent()) {
                    lastChain = SegmentFormat.HEX.parseHex(header.previous().get().lastChain());
                }
                ensureSegment();
                append(carry);
                force();
                notices.add(AuditEvent.builder().action("audit.file.segment_abandoned").category(Category.SYSTEM)
                        .severity(Severity.WARNING).actor(Actor.system("auditlog")).outcome(Outcome.success())
                        .attribute("file", file.getFileName().toString())
                        .attribute("reason", "abandoned by an earlier process after a failed force; " + carry.size()
                                + " record(s) copied into " + segPath.getFileName())
                        .attribute("first_unforced_sequence", carry.get(0).sequence()).build());
            }
            return;
        }
        if (sealed) {
            Fs.permissions(file, Fs.readOnlyPerms(config.groupReadable()));
            nextPrevious = new Segment.Previous(last.name(), lastSeq, SegmentFormat.HEX.formatHex(lastChain), records,
                    SegmentFormat.HEX.formatHex(digest.digest()));
            return;
        }
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (channel.size() != validEnd) {
            throw new IOException(file + ": size " + channel.size() + " does not match the recovered end " + validEnd);
        }
        segPath = file;
        segFirst = header.first();
        segRecords = records;
        segBytes = validEnd;
        segDigest = digest;
        segPrevious = header.previous();
        segCreated = Files.readAttributes(file, BasicFileAttributes.class).creationTime().toInstant();
        firstUnforced = -1;
    }

    private String checkRecord(byte[] line, long expected) {
        if (!startsWith(line, "{\"v\":")) {
            return "not a record line";
        }
        SealedRecord rec;
        try {
            rec = SealedRecord.parse(line);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (!rec.logId().equals(logId)) {
            return "record of log \"" + rec.logId() + "\"";
        }
        if (rec.sequence() != expected) {
            return "record " + rec.sequence() + " where " + expected + " was expected";
        }
        byte[] leaf = new byte[32];
        byte[] chain = new byte[32];
        hasher.leaf(line, 0, rec.bodyLength(), leaf);
        hasher.next(lastChain, leaf, chain);
        if (!Arrays.equals(chain, rec.chainHash())) {
            return "chain hash of record " + rec.sequence() + " does not link to its predecessor";
        }
        return null;
    }

    private String checkSeal(byte[] line, long first, long records, MessageDigest digest) {
        SegmentFormat.Seal seal;
        try {
            seal = SegmentFormat.parseSeal(line);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        String sha = SegmentFormat.HEX.formatHex(clone(digest).digest());
        if (!seal.logId().equals(logId) || seal.first() != first || seal.records() != records
                || seal.lastSequence() != first + records - 1 || records == 0
                || !seal.lastChain().equals(SegmentFormat.HEX.formatHex(lastChain)) || !seal.sha256().equals(sha)) {
            return "segment seal does not match the segment's contents";
        }
        return null;
    }

    /** Moves an invalid or torn last line aside (forced) and truncates the segment before it. */
    private void quarantine(Path file, RawLine line, String problem) throws IOException {
        byte[] bytes = line.bytes();
        if (line.terminated()) {
            bytes = Arrays.copyOf(bytes, bytes.length + 1);
            bytes[bytes.length - 1] = '\n';
        }
        Path q = file.resolveSibling(file.getFileName() + ".quarantine-" + line.offset());
        try (FileChannel out = FileChannel.open(q, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Fs.permissions(q, Fs.filePerms(config.groupReadable()));
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(true);
        }
        Fs.fsyncDirectory(logDir);
        try (FileChannel seg = FileChannel.open(file, StandardOpenOption.WRITE)) {
            seg.truncate(line.offset());
            seg.force(true);
        }
        notices.add(AuditEvent.builder().action("audit.file.recovered").category(Category.SYSTEM)
                .severity(Severity.WARNING).actor(Actor.system("auditlog")).outcome(Outcome.success())
                .attribute("file", file.getFileName().toString()).attribute("offset", line.offset())
                .attribute("length", bytes.length).attribute("sha256", SegmentFormat.HEX.formatHex(sha256().digest(bytes)))
                .attribute("quarantine", q.getFileName().toString()).attribute("reason", problem).build());
    }

    // ------------------------------------------------------------------ writing

    public void write(List<SealedRecord> batch) throws IOException {
        if (closed) {
            throw new IllegalStateException("file sink for log " + logId + " in " + logDir + " is closed: write rejected");
        }
        if (batch.isEmpty()) {
            return;
        }
        int freshFrom = batch.size();
        long expected = lastSeq + 1;
        for (int i = 0; i < batch.size(); i++) {
            SealedRecord r = batch.get(i);
            if (!r.logId().equals(logId)) {
                throw new IOException("record of log " + r.logId() + " written to the file sink of log " + logId);
            }
            if (r.sequence() <= lastSeq) {
                if (freshFrom < batch.size()) {
                    throw new IOException("batch out of order at record " + r.sequence());
                }
                checkRedelivery(r);
            } else if (r.sequence() == expected) {
                if (freshFrom == batch.size()) {
                    freshFrom = i;
                }
                expected++;
            } else {
                throw new IOException("gap in log " + logId + ": expected record " + expected + ", got "
                        + r.sequence());
            }
        }
        if (freshFrom == batch.size()) {
            return;
        }
        List<SealedRecord> fresh = batch.subList(freshFrom, batch.size());
        ensureSegment();
        long savedSeq = lastSeq;
        byte[] savedChain = lastChain;
        long batchFirst = fresh.get(0).sequence();
        try {
            if (config.durability() == Durability.EVERY_RECORD) {
                for (SealedRecord r : fresh) {
                    append(List.of(r));
                    force();
                }
            } else {
                append(fresh);
                if (config.durability() == Durability.GROUP_COMMIT || (config.durability() == Durability.INTERVAL
                        && !config.clock().instant().isBefore(lastForce.plus(config.forceInterval())))) {
                    force();
                }
            }
        } catch (IOException | RuntimeException e) {
            lastSeq = savedSeq;
            lastChain = savedChain;
            forget(savedSeq);
            long unforced = firstUnforced >= 0 ? Math.min(firstUnforced, batchFirst) : batchFirst;
            abandon(e, unforced);
            throw new IOException("file sink: storing records " + batchFirst + ".." + fresh.get(fresh.size() - 1)
                    .sequence() + " of log " + logId + " in " + segPathName() + " failed (" + e
                    + "); the segment is abandoned and the next write starts a new one", e);
        }
        if (segBytes >= config.segmentSize()
                || !config.clock().instant().isBefore(segCreated.plus(config.segmentAge()))) {
            seal();
        }
    }

    private String segPathName() {
        return abandoned != null ? abandoned.toString() : String.valueOf(segPath);
    }

    private void append(List<SealedRecord> records) throws IOException {
        if (firstUnforced < 0) {
            firstUnforced = records.get(0).sequence();
        }
        buffer.clear();
        for (SealedRecord r : records) {
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
        SealedRecord last = records.get(records.size() - 1);
        lastSeq = last.sequence();
        lastChain = last.chainHash();
        for (SealedRecord r : records) {
            segBytes += r.lineLength() + 1;
            segRecords++;
            remember(r);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        segDigest.update(buffer.duplicate()); // the segment digest covers exactly the bytes written

        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void force() throws IOException {
        config.forcer().force(channel, segPath);
        firstUnforced = -1;
        lastForce = config.clock().instant();
    }

    private void checkRedelivery(SealedRecord r) throws IOException {
        SealedRecord stored = null;
        long seq = r.sequence();
        if (!recent.isEmpty() && seq >= recentFirst) {
            Iterator<SealedRecord> it = recent.iterator();
            for (long s = recentFirst; s < seq; s++) {
                it.next();
            }
            stored = it.next();
        } else {
            try (Stream<SealedRecord> s = dev.auditlog.file.FileAuditReader.open(config.directory()).read(logId, seq)) {
                Optional<SealedRecord> found = s.filter(x -> x.sequence() == seq).findFirst();
                if (found.isPresent()) {
                    stored = found.get();
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        if (stored == null) {
            throw new IOException("record " + seq + " of log " + logId + " is before the stored head " + lastSeq
                    + " but cannot be found in " + logDir + " to compare");
        }
        if (!stored.equals(r)) { // equal bytes
            throw new IOException("record " + seq + " of log " + logId + " redelivered with different bytes than"
                    + " stored in " + logDir + ": refusing to overwrite (tampering?)");
        }
    }

    private void remember(SealedRecord r) {
        if (recent.isEmpty()) {
            recentFirst = r.sequence();
        }
        recent.addLast(r);
        if (recent.size() > RECENT) {
            recent.removeFirst();
            recentFirst++;
        }
    }

    /** Drops remembered lines after {@code seq}. */
    private void forget(long seq) {
        while (!recent.isEmpty() && recentFirst + recent.size() - 1 > seq) {
            recent.removeLast();
        }
    }

    // ------------------------------------------------------------------ segments

    private void ensureSegment() throws IOException {
        if (channel != null) {
            return;
        }
        long first = lastSeq + 1;
        if (abandoned != null) {
            if (abandonedFirst == first) {
                // none of its records was acknowledged: move it out of the log, the new segment takes its name
                Path aside = abandoned.resolveSibling(abandoned.getFileName() + ".abandoned-"
                        + config.clock().millis());
                Files.move(abandoned, aside, StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(abandonMarker(abandoned));
                Fs.fsyncDirectory(logDir);
                nextPrevious = abandonedPrevious.orElse(null);
            } else {
                nextPrevious = describe(abandoned);
            }
            abandoned = null;
        }
        Segment.Previous previous = nextPrevious;
        String name = SegmentFormat.fileName(first);
        Path target = logDir.resolve(name);
        Path tmp = logDir.resolve(name + ".tmp");
        byte[] header = SegmentFormat.header(logId, first, previous);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Fs.permissions(tmp, Fs.filePerms(config.groupReadable()));
            ByteBuffer b = ByteBuffer.allocate(header.length + 1).put(header).put((byte) '\n').flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            config.forcer().force(ch, tmp);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Fs.fsyncDirectory(logDir);
        channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segPath = target;
        segFirst = first;
        segRecords = 0;
        segBytes = header.length + 1;
        segDigest = sha256();
        segDigest.update(header);
        segDigest.update((byte) '\n');
        segCreated = config.clock().instant();
        segPrevious = Optional.ofNullable(previous);
        firstUnforced = -1;
        nextPrevious = null;
    }

    /** The predecessor description of an abandoned segment, read from the file as it is now. */
    private Segment.Previous describe(Path file) throws IOException {
        MessageDigest d = sha256();
        long records = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[64 * 1024];
            int n;
            boolean lineStart = true;
            boolean isRecord = false;
            int prefixSeen = 0;
            byte[] prefix = {'{', '"', 'v', '"', ':'};
            while ((n = in.read(b)) > 0) {
                d.update(b, 0, n);
                for (int i = 0; i < n; i++) {
                    byte c = b[i];
                    if (lineStart) {
                        prefixSeen = 0;
                        isRecord = true;
                        lineStart = false;
                    }
                    if (c == '\n') {
                        if (isRecord && prefixSeen >= prefix.length) {
                            records++;
                        }
                        lineStart = true;
                        continue;
                    }
                    if (prefixSeen < prefix.length) {
                        if (c == prefix[prefixSeen]) {
                            prefixSeen++;
                        } else {
                            isRecord = false;
                            prefixSeen = prefix.length;
                        }
                    }
                }
            }
        }
        return new Segment.Previous(file.getFileName().toString(), lastSeq, SegmentFormat.HEX.formatHex(lastChain),
                records, SegmentFormat.HEX.formatHex(d.digest()));
    }

    private void seal() {
        try {
            byte[] seal = SegmentFormat.seal(logId, segFirst, lastSeq, segRecords, lastChain,
                    clone(segDigest).digest());
            ByteBuffer b = ByteBuffer.allocate(seal.length + 1).put(seal).put((byte) '\n').flip();
            while (b.hasRemaining()) {
                channel.write(b);
            }
            segDigest.update(seal);
            segDigest.update((byte) '\n');
            force();
            channel.close();
            channel = null;
            Fs.permissions(segPath, Fs.readOnlyPerms(config.groupReadable()));
            nextPrevious = new Segment.Previous(segPath.getFileName().toString(), lastSeq,
                    SegmentFormat.HEX.formatHex(lastChain), segRecords, SegmentFormat.HEX.formatHex(segDigest.digest()));
            checkpointWanted = true;
        } catch (IOException | RuntimeException e) {
            // The batch itself was written (and forced, unless the policy defers it); the next segment continues
            // after it and this one stays unsealed.
            abandon(e, firstUnforced >= 0 ? firstUnforced : lastSeq + 1);
        }
    }

    static Path abandonMarker(Path segment) {
        return segment.resolveSibling(segment.getFileName() + ".abandoned");
    }

    /** The first unforced sequence written in a marker; a marker that cannot be read means "all of it". */
    private static long readMarker(Path marker) {
        try {
            return Long.parseLong(Files.readString(marker).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Closes the current segment unsealed and never writes to it again; the next write starts a new segment. */
    private void abandon(Exception cause, long firstUnforcedSeq) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the segment is given up anyway
            }
        }
        channel = null;
        try {
            // Durable mark, so that a restart does not append to this segment either.
            Files.writeString(abandonMarker(segPath), Long.toString(firstUnforcedSeq));
            Fs.fsyncDirectory(logDir);
        } catch (IOException ignored) {
            // best effort: this process still never writes to it again
        }
        abandoned = segPath;
        abandonedFirst = segFirst;
        abandonedPrevious = segPrevious;
        firstUnforced = -1;
        notices.add(AuditEvent.builder().action("audit.file.segment_abandoned").category(Category.SYSTEM)
                .severity(Severity.WARNING).actor(Actor.system("auditlog")).outcome(Outcome.success())
                .attribute("file", segPath.getFileName().toString())
                .attribute("reason", String.valueOf(cause))
                .attribute("first_unforced_sequence", firstUnforcedSeq).build());
    }

    public void flush() throws IOException {
        if (closed || channel == null || firstUnforced < 0) {
            return;
        }
        try {
            force();
        } catch (IOException e) {
            abandon(e, firstUnforced);
            throw new IOException("file sink: forcing " + segPathName() + " failed (" + e
                    + "); the segment is abandoned and the next write starts a new one", e);
        }
    }

    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            if (channel != null) {
                if (firstUnforced >= 0) {
                    config.forcer().force(channel, segPath);
                }
                channel.close();
            }
        } catch (IOException e) {
            failure = e;
        }
        channel = null;
        try {
            lock.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest clone(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    private static boolean startsWith(byte[] line, String prefix) {
        byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return line.length >= p.length && Arrays.equals(line, 0, p.length, p, 0, p.length);
    }
}
