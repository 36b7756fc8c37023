package dev.auditlog.protect;

import dev.auditlog.ActorType;
import dev.auditlog.AuditActions;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Severity;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in detection rules. Each builder validates its settings at once (the message names the setting, the
 * rule and the value) and builds a fresh rule with its own bounded state; add it to one log with
 * {@code Protection.Builder.rule(...)}. Times are the events' {@code occurredAt}, so rules are deterministic for a
 * given stream (tests drive them with an injected {@link java.time.Clock}).
 */
public final class Rules {
    private Rules() {
    }

    /**
     * At least {@code count} matching events for one key within a sliding window, e.g. OWASP
     * {@code authn_login_fail_max}: {@code threshold("login-burst").action("authn_login_fail").count(5)
     * .within(Duration.ofSeconds(60))}. The events fire when the newest is less than one window after the oldest of
     * the last {@code count}; the key's window then starts afresh.
     */
    public static ThresholdBuilder threshold(String id) {
        return new ThresholdBuilder(id);
    }

    /** Any event touching a target whose type and id match patterns, optionally only for some actors. */
    public static RestrictedTargetsBuilder restrictedTargets(String id) {
        return new RestrictedTargetsBuilder(id);
    }

    /**
     * Privilege changes: actions {@code privilege_permissions_changed}, {@code authz_change}, {@code authz_admin}
     * (or others set with {@link PrivilegeChangesBuilder#actions(String...)}).
     */
    public static PrivilegeChangesBuilder privilegeChanges(String id) {
        return new PrivilegeChangesBuilder(id);
    }

    /** Activity outside working hours (default Monday–Friday 08:00–18:00 UTC, actors of type USER). */
    public static WorkingHoursBuilder outsideWorkingHours(String id) {
        return new WorkingHoursBuilder(id);
    }

    /** A privileged actor from a source IP not seen for it in the last N days (default 30). */
    public static NewSourceIpBuilder newSourceIp(String id) {
        return new NewSourceIpBuilder(id);
    }

    /** Settings shared by the built-in rules. */
    @SuppressWarnings("unchecked")
    public abstract static class RuleBuilder<B extends RuleBuilder<B>> {
        final String id;
        Severity severity = Severity.WARNING;
        final List<AlertResponse> responses = new ArrayList<>();

        RuleBuilder(String id) {
            this.id = PolicyRule.checkId("rule id", id);
        }

        /** The alerts' severity. Default WARNING. */
        public B severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity");
            return (B) this;
        }

        /** Adds a response run when the rule fires (e.g. {@link AlertResponse#lockKey(Duration)}). */
        public B respond(AlertResponse response) {
            responses.add(Objects.requireNonNull(response, "response"));
            return (B) this;
        }

        /** The rule. */
        public abstract DetectionRule build();
    }

    static Duration positive(String setting, Duration d) {
        Objects.requireNonNull(d, setting);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + d);
        }
        return d;
    }

    static int range(String setting, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ", was " + v);
        }
        return v;
    }

    static List<Glob> globs(String setting, String... patterns) {
        Objects.requireNonNull(patterns, setting);
        List<Glob> out = new ArrayList<>();
        for (String p : patterns) {
            out.add(Glob.of(setting, p));
        }
        return out;
    }

    /** Builds a sliding-window threshold rule. */
    public static final class ThresholdBuilder extends RuleBuilder<ThresholdBuilder> {
        private Glob action;
        private OutcomeStatus outcome;
        private ThresholdKey keyBy = ThresholdKey.ACTOR;
        private int count = 5;
        private Duration window = Duration.ofSeconds(60);
        private int maxKeys = 10_000;

        ThresholdBuilder(String id) {
            super(id);
        }

        /** Counts only actions equal to, or matching the glob, {@code pattern}. Default: every action. */
        public ThresholdBuilder action(String pattern) {
            this.action = Glob.of("threshold.action", pattern);
            return this;
        }

        /** Counts only this outcome. Default: any. */
        public ThresholdBuilder outcome(OutcomeStatus outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** What to count by. Default {@link ThresholdKey#ACTOR}. */
        public ThresholdBuilder keyBy(ThresholdKey keyBy) {
            this.keyBy = Objects.requireNonNull(keyBy, "keyBy");
            return this;
        }

        /** Events needed: 1–10 000. Default 5. */
        public ThresholdBuilder count(int count) {
            this.count = range("threshold.count", count, 1, 10_000);
            return this;
        }

        /** The window. Positive; default 60 s. */
        public ThresholdBuilder within(Duration window) {
            this.window = positive("threshold.within", window);
            return this;
        }

        /** Keys tracked at most (LRU eviction beyond): 1–10 000 000. Default 10 000. */
        public ThresholdBuilder maxKeys(int maxKeys) {
            this.maxKeys = range("threshold.maxKeys", maxKeys, 1, 10_000_000);
            return this;
        }

        @Override
        public DetectionRule build() {
            return new ThresholdRule(id, severity, responses, action, outcome, keyBy, count, window, maxKeys);
        }
    }

    /** Builds a restricted-targets rule. */
    public static final class RestrictedTargetsBuilder extends RuleBuilder<RestrictedTargetsBuilder> {
        private Glob type;
        private Glob targetId = Glob.of("targetId", "*");
        private final Set<ActorType> actorTypes = EnumSet.noneOf(ActorType.class);
        private final List<Glob> allowedActors = new ArrayList<>();

        RestrictedTargetsBuilder(String id) {
            super(id);
        }

        /** Required: the restricted target type (glob). */
        public RestrictedTargetsBuilder targetType(String pattern) {
            this.type = Glob.of("restrictedTargets.targetType", pattern);
            return this;
        }

        /** The restricted target ids (glob). Default {@code *}. */
        public RestrictedTargetsBuilder targetId(String pattern) {
            this.targetId = Glob.of("restrictedTargets.targetId", pattern);
            return this;
        }

        /** Fire only for these actor types. Default: all. */
        public RestrictedTargetsBuilder actorTypes(ActorType... types) {
            Objects.requireNonNull(types, "actorTypes");
            for (ActorType t : types) {
                actorTypes.add(Objects.requireNonNull(t, "actorTypes element"));
            }
            return this;
        }

        /** Actors (id globs) allowed to touch the targets: no alert for them. */
        public RestrictedTargetsBuilder allowActors(String... idPatterns) {
            allowedActors.addAll(globs("restrictedTargets.allowActors", idPatterns));
            return this;
        }

        /** @throws IllegalStateException when no target type was set */
        @Override
        public DetectionRule build() {
            if (type == null) {
                throw new IllegalStateException("restrictedTargets(\"" + id + "\") needs targetType(...)");
            }
            return new RestrictedTargetRule(id, severity, responses, type, targetId, actorTypes, allowedActors);
        }
    }

    /** Builds a privilege-change rule. */
    public static final class PrivilegeChangesBuilder extends RuleBuilder<PrivilegeChangesBuilder> {
        private Set<String> actions = Set.of(AuditActions.PRIVILEGE_PERMISSIONS_CHANGED, AuditActions.AUTHZ_CHANGE,
                AuditActions.AUTHZ_ADMIN);

        PrivilegeChangesBuilder(String id) {
            super(id);
            severity = Severity.NOTICE;
        }

        /** Replaces the actions (exact names, at least one). */
        public PrivilegeChangesBuilder actions(String... actions) {
            Objects.requireNonNull(actions, "actions");
            if (actions.length == 0) {
                throw new IllegalArgumentException("privilegeChanges.actions must name at least one action");
            }
            for (String a : actions) {
                Objects.requireNonNull(a, "actions element");
            }
            this.actions = Set.of(actions);
            return this;
        }

        @Override
        public DetectionRule build() {
            return new PrivilegeChangeRule(id, severity, responses, actions);
        }
    }

    /** Builds an outside-working-hours rule. */
    public static final class WorkingHoursBuilder extends RuleBuilder<WorkingHoursBuilder> {
        private ZoneId zone = ZoneId.of("UTC");
        private LocalTime start = LocalTime.of(8, 0);
        private LocalTime end = LocalTime.of(18, 0);
        private Set<DayOfWeek> days = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        private Set<ActorType> actorTypes = EnumSet.of(ActorType.USER);

        WorkingHoursBuilder(String id) {
            super(id);
        }

        /** The time zone. Default UTC. */
        public WorkingHoursBuilder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Working hours [start, end) local time; start before end. Default 08:00–18:00. */
        public WorkingHoursBuilder hours(LocalTime start, LocalTime end) {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("workingHours.hours start must be before end, was " + start + "-"
                        + end);
            }
            this.start = start;
            this.end = end;
            return this;
        }

        /** Working days, at least one. Default Monday–Friday. */
        public WorkingHoursBuilder days(DayOfWeek... days) {
            Objects.requireNonNull(days, "days");
            if (days.length == 0) {
                throw new IllegalArgumentException("workingHours.days must name at least one day");
            }
            EnumSet<DayOfWeek> s = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d : days) {
                s.add(Objects.requireNonNull(d, "days element"));
            }
            this.days = s;
            return this;
        }

        /** Actor types checked (at least one). Default USER. */
        public WorkingHoursBuilder actorTypes(ActorType... types) {
            Objects.requireNonNull(types, "actorTypes");
            if (types.length == 0) {
                throw new IllegalArgumentException("workingHours.actorTypes must name at least one type");
            }
            EnumSet<ActorType> s = EnumSet.noneOf(ActorType.class);
            for (ActorType t : types) {
                s.add(Objects.requireNonNull(t, "actorTypes element"));
            }
            this.actorTypes = s;
            return this;
        }

        @Override
        public DetectionRule build() {
            return new WorkingHoursRule(id, severity, responses, zone, start, end, days, actorTypes);
        }
    }

    /** Builds a new-source-IP rule. */
    public static final class NewSourceIpBuilder extends RuleBuilder<NewSourceIpBuilder> {
        private final List<Glob> privileged = new ArrayList<>();
        private Duration notSeenFor = Duration.ofDays(30);
        private boolean firstSight;
        private int maxActors = 10_000;
        private int maxIpsPerActor = 32;

        NewSourceIpBuilder(String id) {
            super(id);
        }

        /** Required: the privileged actors (id globs). */
        public NewSourceIpBuilder privilegedActors(String... idPatterns) {
            privileged.addAll(globs("newSourceIp.privilegedActors", idPatterns));
            return this;
        }

        /** How long an address stays known. Positive; default 30 days. */
        public NewSourceIpBuilder notSeenFor(Duration period) {
            this.notSeenFor = positive("newSourceIp.notSeenFor", period);
            return this;
        }

        /** Also fire the first time an actor is seen at all. Default false (no history, no alert). */
        public NewSourceIpBuilder alertOnFirstSight(boolean fire) {
            this.firstSight = fire;
            return this;
        }

        /** Memory bounds: actors (1–1 000 000, default 10 000) and addresses per actor (1–1024, default 32). */
        public NewSourceIpBuilder bounds(int maxActors, int maxIpsPerActor) {
            this.maxActors = range("newSourceIp.maxActors", maxActors, 1, 1_000_000);
            this.maxIpsPerActor = range("newSourceIp.maxIpsPerActor", maxIpsPerActor, 1, 1024);
            return this;
        }

        /** @throws IllegalStateException when no privileged actors were set */
        @Override
        public DetectionRule build() {
            if (privileged.isEmpty()) {
                throw new IllegalStateException("newSourceIp(\"" + id + "\") needs privilegedActors(...)");
            }
            return new NewSourceIpRule(id, severity, responses, privileged, notSeenFor, firstSight, maxActors,
                    maxIpsPerActor);
        }
    }
}
