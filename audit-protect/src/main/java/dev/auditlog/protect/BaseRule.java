package dev.auditlog.protect;

import dev.auditlog.Severity;

import java.util.List;

/** Common parts of the built-in detection rules. */
abstract class BaseRule implements DetectionRule {
    protected final String id;
    protected final Severity severity;
    private final List<AlertResponse> responses;

    protected BaseRule(String id, Severity severity, List<AlertResponse> responses) {
        this.id = id;
        this.severity = severity;
        this.responses = List.copyOf(responses);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<AlertResponse> responses() {
        return responses;
    }

    protected Alert alert(String key, String summary, ObservedEvent o) {
        String s = summary.length() > Alert.MAX_SUMMARY ? summary.substring(0, Alert.MAX_SUMMARY - 1) + "…" : summary;
        return Alert.builder().ruleId(id).severity(severity).key(key).sequence(o.sequence()).summary(s)
                .firedAt(o.occurredAt()).build();
    }

    protected static long nanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + "]";
    }
}
