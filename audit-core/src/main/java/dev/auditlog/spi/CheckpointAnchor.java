package dev.auditlog.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Receives signed checkpoints once the checkpoint record is durable in every sink, and keeps them somewhere off the
 * log: another directory or host, a witness service, a ticket system, stdout collected elsewhere. Only a checkpoint
 * held outside the log's storage defeats a cut-off tail or a rewrite of the whole log by someone who holds the
 * signing key: the verifier checks the log against the latest anchored checkpoint.
 *
 * <p>Called from the log's own anchoring thread, one call at a time, in order of tree size, and at most once a second
 * unless {@code AuditLog.flush()} or closing the log waits for it, so a slow anchor (a forced file, a remote witness)
 * never holds records back. Newer checkpoints replace each other meanwhile: the next call gets the newest, and the
 * ones in between are skipped. {@code AuditLog.flush()} returns once the checkpoints it flushed are anchored, and
 * closing the log anchors its final checkpoint. A failure is logged and
 * recorded in the chain as {@code audit.anchor.failed}; it does not fail any receipt.
 */
public interface CheckpointAnchor {

    /** A short name for messages, for example {@code dir:/mnt/witness}. */
    String name();

    /**
     * Keeps a checkpoint.
     *
     * @param logId            the log the checkpoint belongs to
     * @param signedCheckpoint the checkpoint as a C2SP signed note (see {@code docs/FORMAT.md})
     */
    void anchor(String logId, String signedCheckpoint) throws IOException;

    /** The latest checkpoint this anchor kept for {@code logId}, when it can be read back. */
    default Optional<String> latest(String logId) throws IOException {
        return Optional.empty();
    }

    /**
     * Keeps a retention statement (docs/FORMAT.md section 11): the log's key holder allows the records before a
     * sequence number to be removed. {@code auditlog prune} and {@code AuditLog.prune} hand it to every anchor, and
     * delete nothing unless every anchor took it, so that a log pruned without the anchor's knowledge is found out.
     * The default hands it to {@link #anchor} (the note's origin line, {@code auditlog/<log id>/retention}, tells it
     * from a checkpoint).
     *
     * @param logId           the log the statement belongs to
     * @param signedStatement the statement as a C2SP signed note
     */
    default void anchorRetention(String logId, String signedStatement) throws IOException {
        anchor(logId, signedStatement);
    }

    /** The latest retention statement this anchor kept for {@code logId}, when it can be read back. */
    default Optional<String> latestRetention(String logId) throws IOException {
        return Optional.empty();
    }

    /**
     * An anchor that keeps the latest checkpoint of each log in {@code <dir>/<logId>.checkpoint}, replaced
     * atomically, and never lets it go backwards (a smaller tree size is refused); and the latest retention
     * statement in {@code <dir>/<logId>.retention}, the same way.
     */
    static CheckpointAnchor directory(Path dir) {
        return Anchors.directory(dir);
    }

    /** An anchor that prints each checkpoint to standard output, for collection by the platform's log shipping. */
    static CheckpointAnchor stdout() {
        return Anchors.stdout();
    }
}
