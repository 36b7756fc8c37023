package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.Target;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The built-in prevention rules for {@code AuditLog.guard(...)}. */
public final class GuardRules {
    private GuardRules() {
    }

    /**
     * Denies an actor (key {@code actor:<id>}) or source address ({@code ip:<address>}) locked in the guard, e.g. by
     * a failed-login threshold rule with {@link AlertResponse#lockKey(Duration)}. Id {@code locked-out}.
     */
    public static GuardRule lockedOut() {
        return new GuardRule() {
            @Override
            public String id() {
                return "locked-out";
            }

            @Override
            public Optional<String> check(GuardContext ctx) {
                AuditEvent e = ctx.event();
                String actorKey = "actor:" + e.actor().id();
                Optional<Instant> until = ctx.lockedUntil(actorKey);
                if (until.isPresent()) {
                    return Optional.of(actorKey + " is locked out until " + until.get());
                }
                Optional<String> ip = e.origin().flatMap(o -> o.ip());
                if (ip.isPresent()) {
                    Optional<Instant> ipUntil = ctx.lockedUntil("ip:" + ip.get());
                    if (ipUntil.isPresent()) {
                        return Optional.of("ip:" + ip.get() + " is locked out until " + ipUntil.get());
                    }
                }
                return Optional.empty();
            }

            @Override
            public String toString() {
                return "locked-out";
            }
        };
    }

    /**
     * Denies access to restricted targets by actors that are not approved, or outside the change window. With
     * neither approved actors nor a change window set, every access is denied.
     */
    public static RestrictedTargetsBuilder restrictedTargets(String id) {
        return new RestrictedTargetsBuilder(id);
    }

    /**
     * Denies an export when an actor's exported rows within a sliding window would exceed a threshold. The rows of an
     * export are its integer attribute ({@code rows} unless set), at least 1.
     */
    public static BulkExportBuilder bulkExport(String id) {
        return new BulkExportBuilder(id);
    }

    /** Builds a restricted-targets guard rule. */
    public static final class RestrictedTargetsBuilder {
        private final String id;
        private Glob type;
        private Glob targetId = Glob.of("targetId", "*");
        private final List<Glob> approved = new ArrayList<>();
        private ZoneId zone;
        private LocalTime start;
        private LocalTime end;
        private Set<DayOfWeek> days;

        RestrictedTargetsBuilder(String id) {
            this.id = PolicyRule.checkId("guard rule id", id);
        }

        /** Required: the restricted target type (glob). */
        public RestrictedTargetsBuilder targetType(String pattern) {
            this.type = Glob.of("guard.restrictedTargets.targetType", pattern);
            return this;
        }

        /** The restricted ids (glob). Default {@code *}. */
        public RestrictedTargetsBuilder targetId(String pattern) {
            this.targetId = Glob.of("guard.restrictedTargets.targetId", pattern);
            return this;
        }

        /** Approved actors (id globs); others are denied. */
        public RestrictedTargetsBuilder approvedActors(String... idPatterns) {
            approved.addAll(Rules.globs("guard.restrictedTargets.approvedActors", idPatterns));
            return this;
        }

        /** The change window: [start, end) local time on {@code days} in {@code zone}; outside it, denied. */
        public RestrictedTargetsBuilder changeWindow(ZoneId zone, LocalTime start, LocalTime end, DayOfWeek... days) {
            this.zone = Objects.requireNonNull(zone, "zone");
            this.start = Objects.requireNonNull(start, "start");
            this.end = Objects.requireNonNull(end, "end");
            Objects.requireNonNull(days, "days");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("guard.restrictedTargets.changeWindow start must be before end, was "
                        + start + "-" + end);
            }
            if (days.length == 0) {
                throw new IllegalArgumentException("guard.restrictedTargets.changeWindow must name at least one day");
            }
            EnumSet<DayOfWeek> s = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d : days) {
                s.add(Objects.requireNonNull(d, "days element"));
            }
            this.days = s;
            return this;
        }

        /**
         * The rule.
         *
         * @throws IllegalStateException when no target type was set
         */
        public GuardRule build() {
            if (type == null) {
                throw new IllegalStateException("guard restrictedTargets(\"" + id + "\") needs targetType(...)");
            }
            Glob t = type;
            Glob tid = targetId;
            List<Glob> ok = List.copyOf(approved);
            ZoneId z = zone;
            LocalTime s = start;
            LocalTime en = end;
            Set<DayOfWeek> d = days;
            return new GuardRule() {
                @Override
                public String id() {
                    return id;
                }

                @Override
                public Optional<String> check(GuardContext ctx) {
                    AuditEvent e = ctx.event();
                    Target hit = RestrictedTargetRule.restricted(e, t, tid, Set.of(), List.of());
                    if (hit == null) {
                        return Optional.empty();
                    }
                    String what = "restricted target " + hit.type() + ":" + hit.id();
                    boolean approvedActor = false;
                    for (Glob g : ok) {
                        approvedActor |= g.matches(e.actor().id());
                    }
                    if (!ok.isEmpty() && !approvedActor) {
                        return Optional.of(what + ": actor " + e.actor().id() + " is not approved");
                    }
                    if (z != null && !WorkingHoursRule.within(ctx.now(), z, s, en, d)) {
                        return Optional.of(what + ": outside the change window " + s + "-" + en + " " + d + " " + z);
                    }
                    if (ok.isEmpty() && z == null) {
                        return Optional.of(what + ": no access allowed");
                    }
                    return Optional.empty();
                }

                @Override
                public String toString() {
                    return id;
                }
            };
        }
    }

    /** Builds a bulk-export guard rule. */
    public static final class BulkExportBuilder {
        private final String id;
        private Glob action;
        private String rowsAttribute = "rows";
        private long maxRows = 10_000;
        private Duration window = Duration.ofHours(1);
        private int maxActors = 10_000;

        BulkExportBuilder(String id) {
            this.id = PolicyRule.checkId("guard rule id", id);
        }

        /** Required: the export action(s) (glob), e.g. {@code data.export}. */
        public BulkExportBuilder action(String pattern) {
            this.action = Glob.of("guard.bulkExport.action", pattern);
            return this;
        }

        /** The integer attribute giving an export's rows. Default {@code rows}. */
        public BulkExportBuilder rowsAttribute(String name) {
            Objects.requireNonNull(name, "rowsAttribute");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("guard.bulkExport.rowsAttribute must not be empty");
            }
            this.rowsAttribute = name;
            return this;
        }

        /** Rows allowed per actor per window (&gt;= 1, default 10 000) and the window (positive, default 1 hour). */
        public BulkExportBuilder limit(long maxRows, Duration window) {
            if (maxRows < 1) {
                throw new IllegalArgumentException("guard.bulkExport.maxRows must be >= 1, was " + maxRows);
            }
            this.maxRows = maxRows;
            this.window = Rules.positive("guard.bulkExport.window", window);
            return this;
        }

        /** Actors tracked at most (LRU): 1–1 000 000, default 10 000. */
        public BulkExportBuilder maxActors(int maxActors) {
            this.maxActors = Rules.range("guard.bulkExport.maxActors", maxActors, 1, 1_000_000);
            return this;
        }

        /**
         * The rule.
         *
         * @throws IllegalStateException when no action was set
         */
        public GuardRule build() {
            if (action == null) {
                throw new IllegalStateException("guard bulkExport(\"" + id + "\") needs action(...)");
            }
            return new BulkExportGuard(id, action, rowsAttribute, maxRows, window, maxActors);
        }
    }
}
