package dev.auditlog.file;

/**
 * When a {@link FileAuditSink} forces written records to stable storage ({@code FileChannel.force}). Whatever the
 * policy, a segment is forced when it is rotated (its footer written) and when the sink is closed, and a failed force is never retried on
 * the same segment (see {@code audit-file/README.md}).
 */
public enum Durability {
    /**
     * The default: a batch is written, forced once, and only then does {@code write} return. A completed receipt
     * means the record survives a crash of the process or of the machine.
     */
    GROUP_COMMIT,
    /** Every record is forced on its own before the next one is written. Slowest; same guarantee as group commit. */
    EVERY_RECORD,
    /**
     * {@code write} returns once the batch is written to the operating system; the segment is forced at the first
     * batch boundary after {@code forceInterval} has passed since the last force, on {@code flush()}, on rotation and on
     * close. A completed receipt then only means "written to the OS": it survives a crash of the process, not
     * necessarily of the machine. Call {@code AuditLog.flush()} to force. As under {@link #NONE}, a background thread
     * also forces the segment every 8 MiB written, so that the disk keeps up and a force finds little left to write;
     * those forces promise nothing more.
     */
    INTERVAL,
    /**
     * Never forced by the policy except when a segment is rotated and when the sink is closed. A completed receipt
     * means "written to the OS" only. For tests and for logs whose loss on a power failure is acceptable. A background
     * thread forces the segment every 8 MiB written, so that sealing a full segment does not wait for all of it to
     * reach the disk (45 ms for 64 MiB on the benchmark machine, during which nothing is written); a record still
     * counts as forced only after the writer's own force, which fails if a background one failed.
     */
    NONE
}
