package dev.auditlog.file;

import dev.auditlog.AuditEvent;
import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Appends one log's records to its segment files: checks each batch against the head (gaps, redeliveries), writes
 * it to the {@link ActiveSegment}, forces it by the {@link ForceSchedule}, rotates the segment when it is full or
 * old, and abandons a segment on which a write or force failed. {@link Recovery} runs on open. Not thread-safe: the
 * log calls it from one thread.
 */
final class LogWriter {
    private final WriterConfig config;
    private final String logId;
    private final Path logDir;
    private final DirLock lock;
    private final Notices notices = new Notices();
    private final RecentRecords recent = new RecentRecords();
    private final ForceSchedule forces;

    private long lastSeq = -1;
    private byte[] lastChain;

    /** The segment being appended to, or null when the next write starts a new one. */
    private ActiveSegment active;
    /** What the next segment's header says about its predecessor (null: none, or the abandoned one's). */
    private Segment.Previous nextPrevious;
    /** The last segment when it was abandoned and no segment follows it yet. */
    private Abandonment.Abandoned abandoned;

    private boolean closed;
    private boolean checkpointWanted;

    /** The last record forced to stable storage in a segment that was not abandoned; -1 when none yet. */
    private long forcedThrough = -1;
    /**
     * The latest checkpoint note written and not yet in the chain registry, with its record's sequence number: the
     * registry entry is replaced only once that record is forced, so that after a power loss the registry never
     * claims a checkpoint the segments lost (which the verifier would report as records removed).
     */
    private String pendingNote;
    private long pendingNoteSeq = -1;
    /** The record of the checkpoint this writer last put in the registry; -1 when none. */
    private long publishedNoteSeq = -1;

    private LogWriter(WriterConfig config, String logId, Path logDir, DirLock lock) {
        this.config = config;
        this.logId = logId;
        this.logDir = logDir;
        this.lock = lock;
        this.lastChain = ChainHash.genesis(logId);
        this.forces = new ForceSchedule(config, logId);
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

    /** True once after a segment was rotated: the log then writes a checkpoint covering it. */
    public boolean takeCheckpointWanted() {
        boolean wanted = checkpointWanted;
        checkpointWanted = false;
        return wanted;
    }

    public List<AuditEvent> takeNotices() {
        return notices.take();
    }

    // ------------------------------------------------------------------ recovery

    private void recover() throws IOException {
        Recovery.Recovered r = Recovery.run(config, logId, logDir, recent, notices);
        lastSeq = r.lastSequence();
        lastChain = r.lastChain();
        active = r.resumed();
        nextPrevious = r.nextLink();
        abandoned = r.abandoned();
        if (!r.carry().isEmpty()) {
            copyForward(r.carry());
        }
    }

    /** Writes the unforced records of an abandoned segment again, into a new segment, and forces it. */
    private void copyForward(List<SealedRecord> carry) throws IOException {
        Path from = abandoned.file().path();
        recent.forgetAfter(lastSeq); // the scan remembered them; they are remembered again as they are written
        ensureSegment();
        append(carry);
        force();
        notices.segmentAbandoned(from, "abandoned by an earlier process after a failed force; " + carry.size()
                + " record(s) copied into " + active.file().name(), carry.get(0).sequence());
    }

    // ------------------------------------------------------------------ writing

    /**
     * Stores the batch; then, once the batch's last checkpoint record is forced (at once under GROUP_COMMIT, else at
     * the segment's next force), replaces the chain's registry entry with that checkpoint. A failure to replace it
     * is thrown after the batch was stored: the retried batch is skipped as stored and the entry is replaced again.
     */
    public void write(List<SealedRecord> batch) throws IOException {
        if (closed) {
            throw new IllegalStateException("file sink for log " + logId + " in " + logDir + " is closed: write rejected");
        }
        int freshFrom = freshFrom(batch);
        for (int i = batch.size() - 1; i >= 0; i--) {
            Optional<String> note = batch.get(i).checkpointNote();
            if (note.isPresent()) {
                long seq = batch.get(i).sequence();
                if (seq > publishedNoteSeq && (pendingNote == null || seq > pendingNoteSeq)) {
                    pendingNote = note.get();
                    pendingNoteSeq = seq;
                }
                break;
            }
        }
        if (freshFrom < batch.size()) {
            store(batch.subList(freshFrom, batch.size()));
            if (active.rotationDue(config)) {
                rotate();
            }
        }
        publishCheckpoint();
    }

    /** Replaces the registry entry with the pending checkpoint once its record is forced. */
    private void publishCheckpoint() throws IOException {
        if (pendingNote != null && forcedThrough >= pendingNoteSeq) {
            ChainRegistry.update(config, logId, pendingNote);
            pendingNote = null;
            publishedNoteSeq = pendingNoteSeq;
        }
    }

    /** Forces the active segment: every record written so far, in this segment and the rotated ones, is forced. */
    private void force() throws IOException {
        forces.force(active);
        forcedThrough = lastSeq;
    }

    /**
     * The index of the batch's first record after the head; the records before it must be stored already with
     * identical bytes, the ones from it on must follow the head without a gap.
     */
    private int freshFrom(List<SealedRecord> batch) throws IOException {
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
        return freshFrom;
    }

    /** Appends and forces {@code fresh}; on failure the head is restored and the segment abandoned. */
    private void store(List<SealedRecord> fresh) throws IOException {
        ensureSegment();
        long savedSeq = lastSeq;
        byte[] savedChain = lastChain;
        long batchFirst = fresh.get(0).sequence();
        try {
            if (forces.everyRecord()) {
                for (SealedRecord r : fresh) {
                    append(List.of(r));
                    force();
                }
            } else {
                append(fresh);
                if (forces.dueAfterBatch()) {
                    force();
                }
            }
        } catch (IOException | RuntimeException e) {
            lastSeq = savedSeq;
            lastChain = savedChain;
            recent.forgetAfter(savedSeq);
            long unforced = forces.hasUnforced() ? Math.min(forces.firstUnforced(), batchFirst) : batchFirst;
            Path segment = active.path();
            abandon(e, unforced);
            throw new IOException("file sink: storing records " + batchFirst + ".." + fresh.get(fresh.size() - 1)
                    .sequence() + " of log " + logId + " in " + segment + " failed (" + e
                    + "); the segment is abandoned and the next write starts a new one", e);
        }
    }

    private void append(List<SealedRecord> records) throws IOException {
        forces.written(records.get(0).sequence());
        forces.appended(active, active.append(records));
        SealedRecord last = records.get(records.size() - 1);
        lastSeq = last.sequence();
        lastChain = last.chainHash();
        records.forEach(recent::remember);
    }

    private void checkRedelivery(SealedRecord r) throws IOException {
        long seq = r.sequence();
        Optional<SealedRecord> remembered = recent.find(seq);
        SealedRecord stored = remembered.isPresent() ? remembered.get() : readStored(seq);
        if (stored == null) {
            throw new IOException("record " + seq + " of log " + logId + " is before the stored head " + lastSeq
                    + " but cannot be found in " + logDir + " to compare");
        }
        if (!stored.equals(r)) { // equal bytes
            throw new IOException("record " + seq + " of log " + logId + " redelivered with different bytes than"
                    + " stored in " + logDir + ": refusing to overwrite (tampering?)");
        }
    }

    /** Record {@code seq} as stored, or null when it is not there. */
    private SealedRecord readStored(long seq) throws IOException {
        try (Stream<SealedRecord> s = FileAuditReader.open(config.directory()).read(logId, seq)) {
            return s.filter(x -> x.sequence() == seq).findFirst().orElse(null);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    // ------------------------------------------------------------------ segments

    private void ensureSegment() throws IOException {
        if (active != null) {
            return;
        }
        long first = lastSeq + 1;
        if (abandoned != null) {
            nextPrevious = takeOverAbandoned(first);
            abandoned = null;
        }
        active = ActiveSegment.create(config, logDir, logId, first, nextPrevious);
        forces.forgetUnforced();
        nextPrevious = null;
    }

    /** The link from the segment starting at {@code first} to the abandoned segment before it. */
    private Segment.Previous takeOverAbandoned(long first) throws IOException {
        if (abandoned.file().first() == first) {
            // none of its records was acknowledged: it leaves the log, the new segment takes its name and its link
            Abandonment.moveAside(abandoned.file().path(), config.clock().millis(), logDir);
            return abandoned.previous().orElse(null);
        }
        return Abandonment.link(abandoned.file().path(), lastSeq, lastChain);
    }

    /** Writes the footer and forces; a failure abandons the segment instead, the batch itself was stored. */
    private void rotate() {
        try {
            active.writeFooter(lastSeq, lastChain);
            force();
            active.close();
            Fs.permissions(active.path(), Fs.readOnlyPerms(config.groupReadable()));
            nextPrevious = active.link(lastSeq, lastChain);
            active = null;
            checkpointWanted = true;
        } catch (IOException | RuntimeException e) {
            abandon(e, forces.hasUnforced() ? forces.firstUnforced() : lastSeq + 1);
        }
    }

    /** Closes the current segment without a footer and never writes to it again; the next write starts a new one. */
    private void abandon(Exception cause, long firstUnforcedSeq) {
        ActiveSegment gone = active;
        active = null;
        gone.closeQuietly();
        Abandonment.mark(gone.path(), firstUnforcedSeq, logDir, Fs.filePerms(config.groupReadable()));
        abandoned = new Abandonment.Abandoned(gone.file(), gone.previous());
        forces.forgetUnforced();
        if (pendingNote != null && pendingNoteSeq >= firstUnforcedSeq) {
            // its record may not survive a power loss; the next checkpoint, in a new segment, is published instead
            pendingNote = null;
        }
        notices.segmentAbandoned(gone.path(), String.valueOf(cause), firstUnforcedSeq);
    }

    public void flush() throws IOException {
        if (closed) {
            return;
        }
        if (active != null && forces.hasUnforced()) {
            try {
                force();
            } catch (IOException e) {
                Path segment = active.path();
                abandon(e, forces.firstUnforced());
                throw new IOException("file sink: forcing " + segment + " failed (" + e
                        + "); the segment is abandoned and the next write starts a new one", e);
            }
        }
        publishCheckpoint();
    }

    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            if (active != null) {
                if (forces.hasUnforced()) {
                    force();
                }
                active.close();
            }
            publishCheckpoint(); // before the lock goes: only the chain's lease holder replaces its entry
        } catch (IOException e) {
            failure = e;
        }
        active = null;
        forces.close();
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
}
