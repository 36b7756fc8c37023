package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.Severity;

import java.time.Duration;
import java.util.List;

/**
 * Fires when a privileged actor acts from a source IP not seen for that actor within {@code notSeenFor}. Memory:
 * at most {@code maxActors} actors (LRU) times {@code maxIpsPerActor} addresses (LRU) each.
 */
final class NewSourceIpRule extends BaseRule {
    private final List<Glob> privileged;
    private final Duration notSeenFor;
    private final long notSeenForNanos;
    private final boolean alertOnFirstSight;
    private final int maxIpsPerActor;
    private final LruMap<String, LruMap<String, Long>> seen;

    public NewSourceIpRule(String id, Severity severity, List<AlertResponse> responses, List<Glob> privileged,
                           Duration notSeenFor, boolean alertOnFirstSight, int maxActors, int maxIpsPerActor) {
        super(id, severity, responses);
        this.privileged = List.copyOf(privileged);
        this.notSeenFor = notSeenFor;
        this.notSeenForNanos = notSeenFor.toNanos();
        this.alertOnFirstSight = alertOnFirstSight;
        this.maxIpsPerActor = maxIpsPerActor;
        this.seen = new LruMap<>(maxActors);
    }

    @Override
    public List<Alert> evaluate(ObservedEvent o) {
        AuditEvent e = o.event();
        String ip = e.origin().flatMap(x -> x.ip()).orElse(null);
        if (ip == null) {
            return List.of();
        }
        String actor = e.actor().id();
        boolean isPrivileged = false;
        for (Glob g : privileged) {
            if (g.matches(actor)) {
                isPrivileged = true;
                break;
            }
        }
        if (!isPrivileged) {
            return List.of();
        }
        long t = nanos(o.occurredAt());
        LruMap<String, Long> ips = seen.get(actor);
        boolean fire;
        if (ips == null) {
            ips = new LruMap<>(maxIpsPerActor);
            seen.put(actor, ips);
            fire = alertOnFirstSight;
        } else {
            Long last = ips.get(ip);
            fire = last == null || t - last >= notSeenForNanos;
        }
        ips.put(ip, t);
        if (!fire) {
            return List.of();
        }
        return List.of(alert("actor:" + actor, "privileged actor " + actor + " from source IP " + ip
                + " not seen for it in the last " + notSeenFor, o));
    }

    public int trackedActors() {
        return seen.size();
    }
}
