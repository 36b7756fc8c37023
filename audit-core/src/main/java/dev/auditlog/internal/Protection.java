package dev.auditlog.internal;

import dev.auditlog.protect.AlertListener;
import dev.auditlog.protect.DetectionRule;
import dev.auditlog.protect.GuardRule;
import dev.auditlog.protect.RecordingPolicy;
import dev.auditlog.protect.Redaction;

import java.util.List;

/** The protection settings of a log: redaction, recording policy (null: record everything), rules, guard. */
public record Protection(Redaction redaction, RecordingPolicy policy, List<DetectionRule> rules,
                         List<AlertListener> alertListeners, List<GuardRule> guardRules, int rulesQueueCapacity) {
}
