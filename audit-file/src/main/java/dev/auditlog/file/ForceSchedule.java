package dev.auditlog.file;

import java.io.IOException;
import java.time.Instant;

/**
 * Durability: when the segment being written is forced under the {@link Durability} policy, and from which record
 * on it holds records that were not forced yet.
 */
final class ForceSchedule {
    private final WriterConfig config;
    /** Forces in the background between the policy's own, for the policies whose forces are far apart. */
    private final WriteBehind behind;
    private long firstUnforced = -1;
    private Instant lastForce;

    ForceSchedule(WriterConfig config, String logId) {
        this.config = config;
        this.lastForce = config.clock().instant();
        this.behind = config.durability() == Durability.NONE || config.durability() == Durability.INTERVAL
                ? new WriteBehind(config.forcer(), WriteBehind.DEFAULT_BYTES, logId) : null;
    }

    /** Records from {@code firstSequence} on were written and are not forced yet. */
    void written(long firstSequence) {
        if (firstUnforced < 0) {
            firstUnforced = firstSequence;
        }
    }

    boolean hasUnforced() {
        return firstUnforced >= 0;
    }

    /** The first record written since the last force; -1 when there is none. */
    long firstUnforced() {
        return firstUnforced;
    }

    /** Whether every record is forced on its own ({@link Durability#EVERY_RECORD}). */
    boolean everyRecord() {
        return config.durability() == Durability.EVERY_RECORD;
    }

    /** Whether the policy forces the batch just written. */
    boolean dueAfterBatch() {
        return switch (config.durability()) {
            case GROUP_COMMIT, EVERY_RECORD -> true;
            case INTERVAL -> !config.clock().instant().isBefore(lastForce.plus(config.forceInterval()));
            case NONE -> false;
        };
    }

    /** {@code bytes} were appended to {@code segment}: perhaps time for a force in the background. */
    void appended(ActiveSegment segment, long bytes) {
        if (behind != null) {
            segment.forceBehind(behind, bytes);
        }
    }

    /**
     * Forces {@code segment}; everything written to it is forced afterwards. Fails when a background force failed
     * since the last one ({@link WriteBehind}).
     */
    void force(ActiveSegment segment) throws IOException {
        if (behind != null) {
            behind.settle();
        }
        segment.force(config.forcer());
        firstUnforced = -1;
        lastForce = config.clock().instant();
    }

    /** The unforced records are given up with their segment (it was abandoned) or start a new one. */
    void forgetUnforced() {
        firstUnforced = -1;
        if (behind != null) {
            behind.forget();
        }
    }

    /** The writer closes: no more background forces. */
    void close() {
        if (behind != null) {
            behind.close();
        }
    }
}
