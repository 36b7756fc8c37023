package dev.auditlog.protect;

import dev.auditlog.ActorType;
import dev.auditlog.AuditEvent;
import dev.auditlog.Severity;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/** Fires on activity outside working hours: [start, end) local time on the working days, in a zone. */
final class WorkingHoursRule extends BaseRule {
    private final ZoneId zone;
    private final LocalTime start;
    private final LocalTime end;
    private final Set<DayOfWeek> days;
    private final Set<ActorType> actorTypes;

    public WorkingHoursRule(String id, Severity severity, List<AlertResponse> responses, ZoneId zone, LocalTime start,
                            LocalTime end, Set<DayOfWeek> days, Set<ActorType> actorTypes) {
        super(id, severity, responses);
        this.zone = zone;
        this.start = start;
        this.end = end;
        this.days = Set.copyOf(days);
        this.actorTypes = Set.copyOf(actorTypes);
    }

    /** Whether {@code at} is within the hours. */
    public static boolean within(Instant at, ZoneId zone, LocalTime start, LocalTime end, Set<DayOfWeek> days) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !t.isBefore(start) && t.isBefore(end);
    }

    @Override
    public List<Alert> evaluate(ObservedEvent o) {
        AuditEvent e = o.event();
        if (!actorTypes.isEmpty() && !actorTypes.contains(e.actor().type())) {
            return List.of();
        }
        if (within(o.occurredAt(), zone, start, end, days)) {
            return List.of();
        }
        return List.of(alert("actor:" + e.actor().id(), e.action() + " by " + e.actor().id() + " at "
                + o.occurredAt().atZone(zone).toLocalDateTime() + " " + zone + ", outside working hours " + start
                + "-" + end + " " + days, o));
    }
}
