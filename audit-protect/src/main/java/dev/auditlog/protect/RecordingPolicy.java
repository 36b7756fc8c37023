package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a log records: ordered rules, the first matching one decides the {@link RecordingLevel} (and sampling);
 * when none matches, the default level applies (FULL unless set).
 *
 * <p><b>Mandatory events</b> are never dropped or sampled: authentication failures (category AUTHENTICATION, outcome
 * FAILURE), authorization denials (outcome DENIED, or category AUTHORIZATION with outcome FAILURE), configuration
 * changes (category CONFIGURATION), access to audit logs (category AUDIT_LOG_ACCESS) and the library's own
 * {@code audit.*} records. {@link Builder#build()} rejects a NONE or sampling rule (or default level NONE) whose
 * selectors name one of them explicitly; a broader rule (e.g. action {@code *}) that happens to match one is
 * overridden for it at run time: the event is recorded FULL, and {@link #explain} says so.
 *
 * <p>Skipped events are counted per rule and summarised in an {@code audit.policy.sampled} record at most every
 * {@link #summaryInterval()} (when something was skipped), when the policy is replaced and when the log closes.
 * Immutable; the counters live in the log.
 */
public final class RecordingPolicy {
    private static final RecordingPolicy EVERYTHING = builder().build();

    private final List<PolicyRule> rules;
    private final RecordingLevel defaultLevel;
    private final Duration summaryInterval;

    private RecordingPolicy(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.defaultLevel = b.defaultLevel;
        this.summaryInterval = b.summaryInterval;
    }

    /** No rules, default FULL: record everything (the behaviour without a policy). */
    public static RecordingPolicy recordEverything() {
        return EVERYTHING;
    }

    /** A builder: no rules, default FULL, summaries every minute. */
    public static Builder builder() {
        return new Builder();
    }

    /** The rules, in evaluation order. */
    public List<PolicyRule> rules() {
        return rules;
    }

    /** The level when no rule matches. */
    public RecordingLevel defaultLevel() {
        return defaultLevel;
    }

    /** How often, at most, skipped counts are summarised. */
    public Duration summaryInterval() {
        return summaryInterval;
    }

    /** Whether this policy records every event in full (no rules, default FULL). */
    public boolean recordsEverything() {
        return defaultLevel == RecordingLevel.FULL && rules.stream().allMatch(r -> r.level() == RecordingLevel.FULL
                && r.sampleOneIn() == 0);
    }

    /**
     * Which rule decides {@code event}, and why. Sampling is reported as configured; whether a particular event is
     * the 1 in N recorded depends on the log's counter.
     */
    public PolicyExplanation explain(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        String mandatory = Mandatory.reason(event);
        for (PolicyRule r : rules) {
            if (r.matches(event)) {
                return explained(r.id(), "rule \"" + r.id() + "\" (" + r.selectors() + ")", r.level(),
                        r.sampleOneIn(), event, mandatory);
            }
        }
        return explained("default", "no rule matched; the default level", defaultLevel, 0, event, mandatory);
    }

    private static PolicyExplanation explained(String id, String what, RecordingLevel level, int sample,
                                               AuditEvent event, String mandatory) {
        int effectiveSample = event.outcome().status() == OutcomeStatus.SUCCESS ? sample : 0;
        if (mandatory != null && (level == RecordingLevel.NONE || effectiveSample > 0)) {
            return new PolicyExplanation(id, level == RecordingLevel.NONE ? RecordingLevel.FULL : level, 0, true,
                    what + " would " + (level == RecordingLevel.NONE ? "drop" : "sample") + " it, but it is mandatory ("
                            + mandatory + "): recorded " + (level == RecordingLevel.NONE ? RecordingLevel.FULL : level));
        }
        String sampling = effectiveSample > 0 ? ", sampled 1 in " + effectiveSample
                : sample > 0 ? " (sampling applies to SUCCESS only)" : "";
        return new PolicyExplanation(id, level, effectiveSample, mandatory != null,
                what + " matched: " + level + sampling + (mandatory != null ? "; mandatory (" + mandatory + ")" : ""));
    }

    /** The index of the first matching rule, or -1; for the log's hot path. */
    public int firstMatch(AuditEvent event) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).matches(event)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordingPolicy p && p.rules.equals(rules) && p.defaultLevel == defaultLevel
                && p.summaryInterval.equals(summaryInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules, defaultLevel, summaryInterval);
    }

    /** A one-line summary: {@code [rule, rule, ...] default=FULL}. */
    @Override
    public String toString() {
        return rules + " default=" + defaultLevel;
    }

    /** Builds a {@link RecordingPolicy}. Not thread-safe. */
    public static final class Builder {
        private final List<PolicyRule> rules = new ArrayList<>();
        private RecordingLevel defaultLevel = RecordingLevel.FULL;
        private Duration summaryInterval = Duration.ofMinutes(1);

        private Builder() {
        }

        /**
         * Appends a rule.
         *
         * @throws IllegalArgumentException when the rule drops or samples a mandatory category explicitly, or its id
         *                                  is already used
         */
        public Builder rule(PolicyRule rule) {
            Objects.requireNonNull(rule, "rule");
            for (PolicyRule r : rules) {
                if (r.id().equals(rule.id())) {
                    throw new IllegalArgumentException("policy rule id \"" + rule.id() + "\" is used twice");
                }
            }
            checkMandatory(rule);
            rules.add(rule);
            return this;
        }

        /** The level when no rule matches; NONE is refused (it would drop mandatory events). Default FULL. */
        public Builder defaultLevel(RecordingLevel level) {
            Objects.requireNonNull(level, "defaultLevel");
            if (level == RecordingLevel.NONE) {
                throw new IllegalArgumentException("defaultLevel NONE would turn off mandatory categories"
                        + " (authentication failures, authorization denials, configuration changes, audit log access,"
                        + " audit.* records): use METADATA, or NONE rules narrow enough to exclude them");
            }
            this.defaultLevel = level;
            return this;
        }

        /** How often, at most, skipped counts are summarised: 1 s to 1 day. Default 1 minute. */
        public Builder summaryInterval(Duration interval) {
            Objects.requireNonNull(interval, "summaryInterval");
            if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("summaryInterval must be between 1 s and 1 day, was " + interval);
            }
            this.summaryInterval = interval;
            return this;
        }

        /** The policy. */
        public RecordingPolicy build() {
            return new RecordingPolicy(this);
        }

        private static void checkMandatory(PolicyRule r) {
            if (r.level() != RecordingLevel.NONE && r.sampleOneIn() == 0) {
                return;
            }
            String what = r.level() == RecordingLevel.NONE ? "level NONE" : "sampling 1 in " + r.sampleOneIn();
            Category c = r.category().orElse(null);
            OutcomeStatus o = r.outcome().orElse(null);
            Set<String> hits = new HashSet<>();
            if (c == Category.CONFIGURATION || c == Category.AUDIT_LOG_ACCESS) {
                hits.add(Mandatory.reason(null, c, o));
            }
            if (r.level() == RecordingLevel.NONE) {
                // sampling applies to SUCCESS only, so outcome selectors can only conflict for NONE
                if (o == OutcomeStatus.DENIED) {
                    hits.add("authorization denials (outcome DENIED)");
                }
                if (o == OutcomeStatus.FAILURE && (c == Category.AUTHENTICATION || c == Category.AUTHORIZATION)) {
                    hits.add(Mandatory.reason(null, c, o));
                }
            }
            if (r.action().isPresent()) {
                Glob g = Glob.of("action", r.action().get());
                if (!g.literalPrefix().isEmpty() && (g.matches("audit.log.started") || g.matches("audit.alert")
                        || g.literalPrefix().startsWith("audit."))) {
                    hits.add("the library's own audit.* records (action " + g + ")");
                }
            }
            if (!hits.isEmpty()) {
                throw new IllegalArgumentException("policy rule \"" + r.id() + "\" sets " + what + " for "
                        + String.join(" and ", hits) + ": mandatory categories cannot be turned off or sampled;"
                        + " narrow the rule (e.g. outcome(SUCCESS) or another category)");
            }
        }
    }
}
