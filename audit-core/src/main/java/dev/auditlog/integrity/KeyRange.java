package dev.auditlog.integrity;

import java.util.Objects;

/**
 * Which key signed which part of a log: the signed notes (checkpoints, retention statements, key rotations) from
 * record {@code firstSequence} to record {@code lastSequence} verified under {@code key}.
 *
 * @param key           the key as {@code <name>+<8 hex key id>}
 * @param firstSequence the first record whose note it signed
 * @param lastSequence  the last record whose note it signed
 * @param rotatedTo     the key it was rotated to, as {@code <name>+<8 hex key id>}, or empty when it was not
 */
public record KeyRange(String key, long firstSequence, long lastSequence, String rotatedTo) {

    /** Validates the components. */
    public KeyRange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rotatedTo, "rotatedTo");
    }

    @Override
    public String toString() {
        return key + " signed " + firstSequence + ".." + lastSequence + (rotatedTo.isEmpty() ? ""
                : ", rotated to " + rotatedTo);
    }
}
