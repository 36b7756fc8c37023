package dev.auditlog.protect;

import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.Severity;
import dev.auditlog.Target;

import java.util.List;
import java.util.Set;

/** Fires on every event touching a restricted target, unless the actor is of another type or allowed. */
final class RestrictedTargetRule extends BaseRule {
    private final Glob type;
    private final Glob targetId;
    private final Set<ActorType> actorTypes;
    private final List<Glob> allowedActors;

    public RestrictedTargetRule(String id, Severity severity, List<AlertResponse> responses, Glob type, Glob targetId,
                                Set<ActorType> actorTypes, List<Glob> allowedActors) {
        super(id, severity, responses);
        this.type = type;
        this.targetId = targetId;
        this.actorTypes = Set.copyOf(actorTypes);
        this.allowedActors = List.copyOf(allowedActors);
    }

    /** The first restricted target of {@code e} that this actor may not touch, or null. */
    public static Target restricted(AuditEvent e, Glob type, Glob targetId, Set<ActorType> actorTypes,
                                    List<Glob> allowedActors) {
        if (!actorTypes.isEmpty() && !actorTypes.contains(e.actor().type())) {
            return null;
        }
        for (Glob g : allowedActors) {
            if (g.matches(e.actor().id())) {
                return null;
            }
        }
        for (Target t : e.targets()) {
            if (type.matches(t.type()) && targetId.matches(t.id())) {
                return t;
            }
        }
        return null;
    }

    @Override
    public List<Alert> evaluate(ObservedEvent o) {
        AuditEvent e = o.event();
        Target t = restricted(e, type, targetId, actorTypes, allowedActors);
        if (t == null) {
            return List.of();
        }
        return List.of(alert("actor:" + e.actor().id(), e.action() + " by " + e.actor().type() + " "
                + e.actor().id() + " on restricted target " + t.type() + ":" + t.id(), o));
    }
}
