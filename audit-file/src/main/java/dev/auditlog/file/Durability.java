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
     * necessarily of the machine. There is no background thread; call {@code AuditLog.flush()} to force.
     */
    INTERVAL,
    /**
     * Never forced except when a segment is rotated and when the sink is closed. A completed receipt means "written to
     * the OS" only. For tests and for logs whose loss on a power failure is acceptable.
     */
    NONE
}
