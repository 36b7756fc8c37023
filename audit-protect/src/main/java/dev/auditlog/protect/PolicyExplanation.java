package dev.auditlog.protect;

import java.util.Objects;

/**
 * Why a {@link RecordingPolicy} treats an event as it does.
 *
 * @param ruleId      the first matching rule, or {@code default} when none matched
 * @param level       the level applied (for a mandatory event never NONE)
 * @param sampleOneIn 0, or N when successful events of this rule are sampled 1 in N
 * @param mandatory   whether the event belongs to a mandatory category
 * @param reason      a sentence for operators, e.g. {@code rule "quiet-reads" (action=document.read, outcome=SUCCESS)
 *                    matched: METADATA}
 */
public record PolicyExplanation(String ruleId, RecordingLevel level, int sampleOneIn, boolean mandatory,
                                String reason) {
    /** Checks the components. */
    public PolicyExplanation {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(reason, "reason");
    }
}
