package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.Severity;
import dev.auditlog.Target;

import java.util.List;
import java.util.Set;

/** Fires on every privilege change action. */
final class PrivilegeChangeRule extends BaseRule {
    private final Set<String> actions;

    public PrivilegeChangeRule(String id, Severity severity, List<AlertResponse> responses, Set<String> actions) {
        super(id, severity, responses);
        this.actions = Set.copyOf(actions);
    }

    @Override
    public List<Alert> evaluate(ObservedEvent o) {
        AuditEvent e = o.event();
        if (!actions.contains(e.action())) {
            return List.of();
        }
        StringBuilder targets = new StringBuilder();
        for (Target t : e.targets()) {
            targets.append(targets.length() == 0 ? " on " : ", ").append(t.type()).append(':').append(t.id());
        }
        return List.of(alert("actor:" + e.actor().id(), "privilege change " + e.action() + " by "
                + e.actor().id() + targets + " (" + e.outcome().status() + ")", o));
    }
}
