package dev.auditlog.protect;

import dev.auditlog.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A detection rule firing: which rule, how severe, for which key (e.g. {@code actor:alice} or
 * {@code ip:203.0.113.7}), the sequence numbers of the records that triggered it, a one-line summary and when it
 * fired. Each alert is recorded in the chain as an {@code audit.alert} record and handed to the
 * {@link AlertListener}s. Built from already-redacted records, so it never carries a redacted value. Immutable.
 */
public final class Alert {
    /** Maximum summary length. */
    public static final int MAX_SUMMARY = 1024;

    private final String ruleId;
    private final Severity severity;
    private final String key;
    private final List<Long> sequences;
    private final String summary;
    private final Instant firedAt;

    private Alert(Builder b) {
        this.ruleId = b.ruleId;
        this.severity = b.severity;
        this.key = b.key;
        this.sequences = List.copyOf(b.sequences);
        this.summary = b.summary;
        this.firedAt = b.firedAt;
    }

    /** A builder; rule id, key, summary, firedAt and at least one sequence are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The id of the rule that fired. */
    public String ruleId() {
        return ruleId;
    }

    /** How severe. */
    public Severity severity() {
        return severity;
    }

    /** What the alert is about, e.g. {@code actor:alice}. */
    public String key() {
        return key;
    }

    /** The sequence numbers of the triggering records, ascending. */
    public List<Long> sequences() {
        return sequences;
    }

    /** A one-line summary. */
    public String summary() {
        return summary;
    }

    /** When the rule fired (the time of the last triggering record). */
    public Instant firedAt() {
        return firedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Alert a && a.ruleId.equals(ruleId) && a.severity == severity && a.key.equals(key)
                && a.sequences.equals(sequences) && a.summary.equals(summary) && a.firedAt.equals(firedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ruleId, severity, key, sequences, summary, firedAt);
    }

    @Override
    public String toString() {
        return "Alert[" + ruleId + ", " + severity + ", " + key + ", seq=" + sequences + ", " + summary + ", "
                + firedAt + "]";
    }

    /** Builds an {@link Alert}; setters validate at once. Not thread-safe. */
    public static final class Builder {
        private String ruleId;
        private Severity severity = Severity.WARNING;
        private String key;
        private final List<Long> sequences = new ArrayList<>();
        private String summary;
        private Instant firedAt;

        private Builder() {
        }

        /** The rule id (see {@link PolicyRule#ID_REGEX}). */
        public Builder ruleId(String ruleId) {
            this.ruleId = PolicyRule.checkId("Alert.ruleId", ruleId);
            return this;
        }

        /** The severity. Default WARNING. */
        public Builder severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity");
            return this;
        }

        /** The key: 1–256 chars. */
        public Builder key(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty() || key.length() > 256) {
                throw new IllegalArgumentException("Alert.key must be 1-256 chars, was " + key.length() + " chars");
            }
            this.key = key;
            return this;
        }

        /** Adds a triggering sequence number (&gt;= 0). */
        public Builder sequence(long sequence) {
            if (sequence < 0) {
                throw new IllegalArgumentException("Alert.sequence must be >= 0, was " + sequence);
            }
            sequences.add(sequence);
            return this;
        }

        /** The summary: 1–{@value #MAX_SUMMARY} chars. */
        public Builder summary(String summary) {
            Objects.requireNonNull(summary, "summary");
            if (summary.isEmpty() || summary.length() > MAX_SUMMARY) {
                throw new IllegalArgumentException("Alert.summary must be 1-" + MAX_SUMMARY + " chars, was "
                        + summary.length() + " chars");
            }
            this.summary = summary;
            return this;
        }

        /** When it fired. */
        public Builder firedAt(Instant firedAt) {
            this.firedAt = Objects.requireNonNull(firedAt, "firedAt");
            return this;
        }

        /**
         * The alert.
         *
         * @throws IllegalStateException naming the first missing field
         */
        public Alert build() {
            if (ruleId == null) {
                throw new IllegalStateException("Alert.ruleId is required");
            }
            if (key == null) {
                throw new IllegalStateException("Alert.key is required");
            }
            if (summary == null) {
                throw new IllegalStateException("Alert.summary is required");
            }
            if (firedAt == null) {
                throw new IllegalStateException("Alert.firedAt is required");
            }
            if (sequences.isEmpty()) {
                throw new IllegalStateException("Alert needs at least one triggering sequence number");
            }
            sequences.sort(null);
            return new Alert(this);
        }
    }
}
