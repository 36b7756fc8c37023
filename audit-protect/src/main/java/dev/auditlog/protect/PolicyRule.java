package dev.auditlog.protect;

import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One rule of a {@link RecordingPolicy}: selectors (all must match; an unset selector matches everything) and the
 * {@link RecordingLevel} for the events they select, optionally sampling successful events 1 in N.
 *
 * <p>Action and target-type selectors are globs: {@code *} matches any run of characters (dots included),
 * {@code ?} one character; without wildcards the match is exact. A target-type selector matches when any target
 * of the event has a matching type. Immutable.
 */
public final class PolicyRule {
    /** Rule ids: a letter, then letters, digits, {@code _ . -}; at most 64 chars. */
    public static final String ID_REGEX = "[A-Za-z][A-Za-z0-9_.-]{0,63}";
    private static final Pattern ID = Pattern.compile(ID_REGEX);

    private final String id;
    private final Glob action;
    private final Category category;
    private final ActorType actorType;
    private final OutcomeStatus outcome;
    private final Glob targetType;
    private final RecordingLevel level;
    private final int sampleOneIn;

    private PolicyRule(Builder b) {
        this.id = b.id;
        this.action = b.action;
        this.category = b.category;
        this.actorType = b.actorType;
        this.outcome = b.outcome;
        this.targetType = b.targetType;
        this.level = b.level;
        this.sampleOneIn = b.sampleOneIn;
    }

    /**
     * A builder for a rule named {@code id} (see {@link #ID_REGEX}).
     *
     * @throws IllegalArgumentException when the id is malformed
     */
    public static Builder builder(String id) {
        return new Builder(checkId("PolicyRule.id", id));
    }

    static String checkId(String setting, String id) {
        Objects.requireNonNull(id, setting);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(setting + " must match " + ID_REGEX + ", was \"" + id + "\"");
        }
        return id;
    }

    /** The rule id, used in explanations and summaries. */
    public String id() {
        return id;
    }

    /** The level for matching events. */
    public RecordingLevel level() {
        return level;
    }

    /** 0 when not sampling, else N: one in N matching successful events is recorded. */
    public int sampleOneIn() {
        return sampleOneIn;
    }

    /** The action selector. */
    public Optional<String> action() {
        return Optional.ofNullable(action).map(Glob::toString);
    }

    /** The category selector. */
    public Optional<Category> category() {
        return Optional.ofNullable(category);
    }

    /** The actor-type selector. */
    public Optional<ActorType> actorType() {
        return Optional.ofNullable(actorType);
    }

    /** The outcome selector. */
    public Optional<OutcomeStatus> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** The target-type selector. */
    public Optional<String> targetType() {
        return Optional.ofNullable(targetType).map(Glob::toString);
    }

    /** Whether every selector matches {@code event}. */
    public boolean matches(AuditEvent event) {
        if (category != null && event.category() != category) {
            return false;
        }
        if (outcome != null && event.outcome().status() != outcome) {
            return false;
        }
        if (actorType != null && event.actor().type() != actorType) {
            return false;
        }
        if (action != null && !action.matches(event.action())) {
            return false;
        }
        if (targetType != null) {
            for (Target t : event.targets()) {
                if (targetType.matches(t.type())) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** The selectors, e.g. {@code action=document.*, outcome=SUCCESS}, or {@code any event}. */
    public String selectors() {
        List<String> parts = new ArrayList<>();
        if (action != null) {
            parts.add("action=" + action);
        }
        if (category != null) {
            parts.add("category=" + category);
        }
        if (actorType != null) {
            parts.add("actorType=" + actorType);
        }
        if (outcome != null) {
            parts.add("outcome=" + outcome);
        }
        if (targetType != null) {
            parts.add("targetType=" + targetType);
        }
        return parts.isEmpty() ? "any event" : String.join(", ", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyRule r && r.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** {@code id(selectors -> LEVEL[ 1/N])}. */
    @Override
    public String toString() {
        return id + "(" + selectors() + " -> " + level + (sampleOneIn > 0 ? " 1/" + sampleOneIn : "") + ")";
    }

    /** Builds a {@link PolicyRule}; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private Glob action;
        private Category category;
        private ActorType actorType;
        private OutcomeStatus outcome;
        private Glob targetType;
        private RecordingLevel level = RecordingLevel.FULL;
        private int sampleOneIn;

        private Builder(String id) {
            this.id = id;
        }

        /** Selects actions equal to, or matching the glob, {@code pattern}. */
        public Builder action(String pattern) {
            this.action = Glob.of("PolicyRule.action", pattern);
            return this;
        }

        /** Selects one category. */
        public Builder category(Category category) {
            this.category = Objects.requireNonNull(category, "category");
            return this;
        }

        /** Selects one actor type. */
        public Builder actorType(ActorType actorType) {
            this.actorType = Objects.requireNonNull(actorType, "actorType");
            return this;
        }

        /** Selects one outcome status. */
        public Builder outcome(OutcomeStatus outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** Selects events with a target whose type equals, or matches the glob, {@code pattern}. */
        public Builder targetType(String pattern) {
            this.targetType = Glob.of("PolicyRule.targetType", pattern);
            return this;
        }

        /** The level for matching events. Default {@link RecordingLevel#FULL}. */
        public Builder level(RecordingLevel level) {
            this.level = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * Records one in {@code n} matching events whose outcome is SUCCESS (the first, the (n+1)-th, ...); the rest
         * are counted in the periodic {@code audit.policy.sampled} record. Other outcomes are not sampled.
         *
         * @throws IllegalArgumentException unless 2 &lt;= n &lt;= 1 000 000
         */
        public Builder sampleOneIn(int n) {
            if (n < 2 || n > 1_000_000) {
                throw new IllegalArgumentException("PolicyRule.sampleOneIn must be between 2 and 1000000, was " + n);
            }
            this.sampleOneIn = n;
            return this;
        }

        /**
         * The rule.
         *
         * @throws IllegalStateException when sampling is combined with level NONE
         */
        public PolicyRule build() {
            if (sampleOneIn > 0 && level == RecordingLevel.NONE) {
                throw new IllegalStateException("PolicyRule " + id + ": sampleOneIn needs level METADATA or FULL,"
                        + " was NONE");
            }
            return new PolicyRule(this);
        }
    }
}
