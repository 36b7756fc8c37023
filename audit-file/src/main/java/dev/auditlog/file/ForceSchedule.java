package dev.auditlog.file;

import java.io.IOException;
import java.time.Instant;

/**
 * Durability: when the segment being written is forced under the {@link Durability} policy, and from which record
 * on it holds records that were not forced yet.
 */
final class ForceSchedule {
    private final WriterConfig config;
    private long firstUnforced = -1;
    private Instant lastForce;

    ForceSchedule(WriterConfig config) {
        this.config = config;
        this.lastForce = config.clock().instant();
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

    /** Forces {@code segment}; everything written to it is forced afterwards. */
    void force(ActiveSegment segment) throws IOException {
        segment.force(config.forcer());
        firstUnforced = -1;
        lastForce = config.clock().instant();
    }

    /** The unforced records are given up with their segment (it was abandoned) or start a new one. */
    void forgetUnforced() {
        firstUnforced = -1;
    }
}
