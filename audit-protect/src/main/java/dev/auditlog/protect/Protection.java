package dev.auditlog.protect;

import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.Interception;
import dev.auditlog.spi.InterceptorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Active protection for one audit log, installed as one interceptor:
 *
 * <pre>{@code
 * Protection protection = Protection.builder()
 *         .policy(RecordingPolicy.builder()...build())          // what to record
 *         .rule(Rules.threshold("login-burst")...build())       // detection rules that raise alerts
 *         .alertListener(WebhookAlertListener.builder(uri).build())
 *         .guardRule(GuardRules.lockedOut())                    // what AuditLog.guard(...) may deny
 *         .build();
 * AuditLog log = AuditLog.builder().sink("file:./audit").intercept(protection).build();
 * }</pre>
 *
 * <ul>
 *   <li>The {@link RecordingPolicy} applies to {@code AuditLog.record}: events it skips are counted in
 *       {@code audit.policy.sampled} records, written when a skip finds one due and on the policy's interval.
 *       Guard decisions and guarded outcomes are always recorded.</li>
 *   <li>{@link DetectionRule}s see every sealed event record the callers made (not the log's own), on their own
 *       thread; alerts are recorded as {@code audit.alert} records, then handed to the listeners, then the rule's
 *       responses run (such as locking an actor out).</li>
 *   <li>{@link GuardRule}s decide {@code AuditLog.guard} and {@code AuditLog.guarded}: the first denial vetoes.
 *       A rule that throws denies (fail closed).</li>
 * </ul>
 *
 * <p>A {@code Protection} belongs to one log; building a second log with it fails. See {@code docs/PROTECTION.md}.
 */
public final class Protection implements AuditInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger("dev.auditlog");

    private final List<DetectionRule> rules;
    private final List<AlertListener> alertListeners;
    private final List<GuardRule> guardRules;
    private final int rulesQueueCapacity;
    private final Lockouts lockouts = new Lockouts();
    private final ReentrantLock policyChange = new ReentrantLock();
    private final RecordingPolicy initialPolicy;
    private volatile PolicyState policy;
    private volatile InterceptorContext context;
    private RulesEngine engine;

    private Protection(Builder b) {
        this.rules = List.copyOf(b.rules);
        this.alertListeners = List.copyOf(b.alertListeners);
        this.guardRules = List.copyOf(b.guardRules);
        this.rulesQueueCapacity = b.rulesQueueCapacity;
        this.initialPolicy = b.policy;
    }

    /** A builder; with nothing set, the protection records everything and has no rules. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "protection";
    }

    @Override
    public void start(InterceptorContext context) {
        Objects.requireNonNull(context, "context");
        policyChange.lock();
        try {
            if (this.context != null) {
                throw new IllegalStateException("this Protection is already installed in audit log \""
                        + this.context.logId() + "\"; build one Protection per log");
            }
            this.context = context;
            this.policy = stateOf(initialPolicy, context.clock().instant());
        } finally {
            policyChange.unlock();
        }
        if (!rules.isEmpty()) {
            engine = new RulesEngine(context.logId(), rules, alertListeners, new Callbacks(), rulesQueueCapacity);
            engine.start();
        }
        // Skip summaries are written on their interval even when nothing more is skipped.
        context.schedule(currentPolicy().summaryInterval(), () -> {
            summariseOnTimer();
            return Optional.of(currentPolicy().summaryInterval());
        });
    }

    @Override
    public Interception beforeSeal(AuditEvent event, Call call) {
        return switch (call) {
            case RECORD -> applyPolicy(event);
            case INTENT -> checkGuard(event);
            case OUTCOME -> Interception.proceed(event);
        };
    }

    private Interception applyPolicy(AuditEvent event) {
        PolicyState ps = policy;
        if (ps == null) {
            return Interception.proceed(event);
        }
        RecordingLevel level = ps.decide(event);
        if (level == RecordingLevel.NONE) {
            if (ps.summaryDue(context.clock().instant())) {
                recordSummary(ps);
            }
            return Interception.skip(ps.policy().explain(event).ruleId(),
                    "not recorded by the recording policy; counted in audit.policy.sampled");
        }
        if (level == RecordingLevel.METADATA && (!event.attributes().isEmpty() || event.message().isPresent())) {
            return Interception.proceed(event.toBuilder().clearAttributes().clearMessage().build());
        }
        return Interception.proceed(event);
    }

    private Interception checkGuard(AuditEvent event) {
        if (guardRules.isEmpty()) {
            return Interception.proceed(event);
        }
        Instant now = context.clock().instant();
        GuardContext ctx = new GuardContext() {
            @Override
            public AuditEvent event() {
                return event;
            }

            @Override
            public Instant now() {
                return now;
            }

            @Override
            public Optional<Instant> lockedUntil(String key) {
                return lockouts.lockedUntil(key, now);
            }
        };
        for (GuardRule r : guardRules) {
            Optional<String> denial;
            try {
                denial = r.check(ctx);
            } catch (RuntimeException ex) {
                LOG.error("audit log {}: guard rule {} failed; denying", context.logId(), r.id(), ex);
                denial = Optional.of("the guard rule failed (" + ex.getClass().getName() + "); failing closed");
            }
            if (denial.isPresent()) {
                return Interception.veto(r.id(), denial.get());
            }
        }
        return Interception.proceed(event);
    }

    @Override
    public boolean observesSealed() {
        return !rules.isEmpty();
    }

    @Override
    public void afterSeal(long sequence, Instant occurredAt, AuditEvent event) {
        engine.offer(new ObservedEvent(sequence, occurredAt, event));
    }

    @Override
    public void awaitIdle() {
        if (engine != null) {
            engine.awaitIdle();
        }
    }

    /**
     * Replaces the recording policy at run time and records {@code audit.config.changed} (category CONFIGURATION)
     * with a before and after summary; counts skipped under the old policy are summarised first.
     *
     * @throws IllegalStateException before the log is built with this protection
     */
    public void setPolicy(RecordingPolicy next) {
        Objects.requireNonNull(next, "policy");
        policyChange.lock();
        try {
            InterceptorContext ctx = context;
            if (ctx == null) {
                throw new IllegalStateException("setPolicy needs a log: build one with intercept(this) first");
            }
            PolicyState old = policy;
            if (old != null) {
                recordSummary(old);
            }
            String before = old == null ? "record everything" : old.policy().toString();
            policy = stateOf(next, ctx.clock().instant());
            String after = policy == null ? "record everything" : next.toString();
            ctx.recordSelf(ctx.selfEvent("audit.config.changed").category(Category.CONFIGURATION)
                    .severity(Severity.NOTICE)
                    .message("recording policy changed")
                    .attribute("setting", "recording.policy")
                    .attribute("before", shorten(before))
                    .attribute("after", shorten(after))
                    .build());
        } finally {
            policyChange.unlock();
        }
    }

    /** The recording policy in force ({@link RecordingPolicy#recordEverything()} when none was set). */
    public RecordingPolicy policy() {
        return currentPolicy();
    }

    private RecordingPolicy currentPolicy() {
        PolicyState ps = policy;
        return ps != null ? ps.policy() : initialPolicy != null && context == null ? initialPolicy
                : RecordingPolicy.recordEverything();
    }

    private static PolicyState stateOf(RecordingPolicy p, Instant now) {
        return p == null || p.recordsEverything() ? null : new PolicyState(p, now);
    }

    /** The timer's turn, one summary interval by the log's ticker after the previous one: due by definition. */
    private void summariseOnTimer() {
        PolicyState ps = policy;
        if (ps != null) {
            recordSummary(ps);
            ps.summarisedAt(context.clock().instant());
        }
    }

    private void recordSummary(PolicyState ps) {
        Map<String, Long> skipped = ps.drainSkipped();
        if (skipped.isEmpty()) {
            return;
        }
        long total = 0;
        for (long n : skipped.values()) {
            total += n;
        }
        context.recordSelf(context.selfEvent("audit.policy.sampled")
                .message(total + " event(s) not recorded by the recording policy since the previous summary")
                .attribute("skipped", skipped)
                .attribute("skipped.total", total)
                .build());
    }

    @Override
    public Map<String, Object> startedAttributes() {
        Map<String, Object> a = new LinkedHashMap<>();
        PolicyState ps = policy;
        if (ps != null) {
            a.put("recording.policy", shorten(ps.policy().toString()));
        }
        if (!rules.isEmpty()) {
            a.put("detection.rules", rules.stream().map(r -> (Object) r.id()).toList());
        }
        if (!guardRules.isEmpty()) {
            a.put("guard.rules", guardRules.stream().map(r -> (Object) r.id()).toList());
        }
        return a;
    }

    @Override
    public Map<String, Object> stoppedAttributes() {
        if (engine == null) {
            return Map.of();
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("alerts", engine.alerts());
        a.put("rules.not.evaluated", engine.overflow());
        a.put("rules.errors", engine.ruleErrors());
        return a;
    }

    /** Evaluates what the rules have queued (their alerts are recorded), then writes the last skip summary. */
    @Override
    public void close() {
        if (engine != null) {
            engine.shutdown();
        }
        PolicyState ps = policy;
        if (ps != null) {
            recordSummary(ps);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
    }

    /** What the rules engine records through the log. */
    private final class Callbacks implements RulesEngine.Callbacks {
        @Override
        public void recordAlert(Alert a) {
            context.recordSelf(context.selfEvent("audit.alert").severity(a.severity())
                    .message(a.summary())
                    .attribute("alert.rule", a.ruleId())
                    .attribute("alert.key", a.key())
                    .attribute("alert.sequences", new ArrayList<Object>(a.sequences()))
                    .attribute("alert.fired.at", a.firedAt().toString())
                    .build());
        }

        @Override
        public void recordDeliveryFailure(Alert alert, String listener, int attempts, String error) {
            context.recordSelf(context.selfEvent("audit.alert.delivery_failed").severity(Severity.ERROR)
                    .outcome(Outcome.failure("alert_delivery_failed"))
                    .attribute("alert.rule", alert.ruleId()).attribute("alert.key", alert.key())
                    .attribute("alert.sequences", List.copyOf(alert.sequences()))
                    .attribute("listener", listener).attribute("attempts", attempts)
                    .attribute("error", error).build());
        }

        @Override
        public void lock(String key, Instant until, String ruleId) {
            lockouts.lock(key, until, context.clock().instant());
            context.recordSelf(context.selfEvent("audit.guard.locked").severity(Severity.WARNING)
                    .attribute("key", key).attribute("until", until.toString())
                    .attribute("rule", ruleId).build());
        }
    }

    /** Builds a {@link Protection}. Each setter validates at once; the message names the setting and the rule. */
    public static final class Builder {
        private RecordingPolicy policy;
        private final List<DetectionRule> rules = new ArrayList<>();
        private final List<AlertListener> alertListeners = new ArrayList<>();
        private final List<GuardRule> guardRules = new ArrayList<>();
        private int rulesQueueCapacity = 65_536;

        private Builder() {
        }

        /** What to record; see {@link RecordingPolicy}. Default: everything, in full. */
        public Builder policy(RecordingPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Adds a detection rule, run on sealed records on the protection's rules thread.
         *
         * @throws IllegalArgumentException when a rule with the same id was added
         */
        public Builder rule(DetectionRule rule) {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(rule.id(), "rule.id()");
            for (DetectionRule r : rules) {
                if (r.id().equals(rule.id())) {
                    throw new IllegalArgumentException("rule id \"" + rule.id() + "\" is used twice");
                }
            }
            rules.add(rule);
            return this;
        }

        /** Adds detection rules, in order; see {@link #rule(DetectionRule)}. */
        public Builder rules(Collection<? extends DetectionRule> rules) {
            Objects.requireNonNull(rules, "rules");
            for (DetectionRule r : rules) {
                rule(Objects.requireNonNull(r, "rules element"));
            }
            return this;
        }

        /** Adds a listener told about every alert. */
        public Builder alertListener(AlertListener listener) {
            alertListeners.add(Objects.requireNonNull(listener, "alertListener"));
            return this;
        }

        /**
         * Adds a guard rule consulted by {@code AuditLog.guard}, in order.
         *
         * @throws IllegalArgumentException when a guard rule with the same id was added
         */
        public Builder guardRule(GuardRule rule) {
            Objects.requireNonNull(rule, "guardRule");
            Objects.requireNonNull(rule.id(), "guardRule.id()");
            Set<String> ids = new HashSet<>();
            guardRules.forEach(r -> ids.add(r.id()));
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("guard rule id \"" + rule.id() + "\" is used twice");
            }
            guardRules.add(rule);
            return this;
        }

        /**
         * Sealed records waiting for the detection rules, at most: 1–16 777 216, default 65 536. When full, records
         * are not evaluated (counted in {@code audit.log.stopped}); sealing and writing never wait for the rules.
         */
        public Builder rulesQueueCapacity(int capacity) {
            if (capacity < 1 || capacity > 1 << 24) {
                throw new IllegalArgumentException("rulesQueueCapacity must be between 1 and 16777216, was "
                        + capacity);
            }
            this.rulesQueueCapacity = capacity;
            return this;
        }

        public Protection build() {
            return new Protection(this);
        }
    }
}
