package dev.auditlog.spring.boot;

import dev.auditlog.Delivery;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.OverflowPolicy;
import dev.auditlog.Severity;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.LogIds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code auditlog.*} settings of the Spring Boot starter. Validated when bound: a wrong value stops the
 * application with a message naming the key, the value and the rule.
 */
@ConfigurationProperties(prefix = "auditlog")
public class AuditLogProperties implements Validator {
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_.*?]{1,128}");

    /** Whether to auto-configure an audit log at all. */
    private boolean enabled = true;

    /**
     * The log's identity: 1-128 characters of [A-Za-z0-9._-], starting with a letter or digit. Every replica of the
     * application uses the same log id, each on its own chain (see instance-id); a restart resumes its chain.
     */
    private String logId = "default";

    /**
     * This replica's instance id: its chain of the log is "log-id@instance-id". 1-64 characters of [A-Za-z0-9._-],
     * starting with a letter or digit; stable across restarts (so a restart resumes its chain) and different for every
     * replica writing the same store. Unset: -Dauditlog.instance, else the AUDITLOG_INSTANCE environment variable,
     * else the host name.
     */
    private String instanceId;

    /**
     * Where records are stored, as a sink spec: "file:./audit" (audit-file, included), "jdbc:postgresql://..."
     * (audit-jdbc on the class path) or "memory:" (tests only: nothing survives a restart). Required unless the
     * application defines its own AuditSink or AuditLog bean.
     */
    private String sink;

    /** ASYNC: record() returns once queued. SYNC: once durable in every sink (fail-closed). */
    private Delivery delivery = Delivery.ASYNC;

    /** Reject events without an origin or a target (the PCI DSS 10.2.2 details). */
    private boolean strict = false;

    /** Records accepted but not yet stored, at most (1-16777216). */
    private int queueCapacity = 8192;

    /** What record() does when the queue is full. */
    private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;

    /** How long BLOCK_WITH_TIMEOUT waits; required by that policy. */
    private Duration blockTimeout;

    /** How long closing the log waits for the sinks to drain. */
    private Duration closeTimeout = Duration.ofSeconds(30);

    private final Checkpoint checkpoint = new Checkpoint();
    private final Anchor anchor = new Anchor();
    private final Protection protection = new Protection();
    private final Security security = new Security();
    private final Web web = new Web();
    private final AuditEvents auditEvents = new AuditEvents();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getLogId() {
        return logId;
    }

    public void setLogId(String logId) {
        this.logId = logId;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public String getSink() {
        return sink;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public Delivery getDelivery() {
        return delivery;
    }

    public void setDelivery(Delivery delivery) {
        this.delivery = delivery;
    }

    public boolean isStrict() {
        return strict;
    }

    public void setStrict(boolean strict) {
        this.strict = strict;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public Duration getBlockTimeout() {
        return blockTimeout;
    }

    public void setBlockTimeout(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public Checkpoint getCheckpoint() {
        return checkpoint;
    }

    public Anchor getAnchor() {
        return anchor;
    }

    public Protection getProtection() {
        return protection;
    }

    public Security getSecurity() {
        return security;
    }

    public Web getWeb() {
        return web;
    }

    public AuditEvents getAuditEvents() {
        return auditEvents;
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return AuditLogProperties.class.isAssignableFrom(clazz);
    }

    /** The rules each value must keep; Spring Boot reports a failure with the key, the value and this message. */
    @Override
    public void validate(Object target, Errors errors) {
        AuditLogProperties p = (AuditLogProperties) target;
        if (!p.enabled) {
            return;
        }
        try {
            LogIds.check(p.logId);
        } catch (IllegalArgumentException | NullPointerException e) {
            errors.rejectValue("logId", "auditlog.logId", "must be 1-128 characters of [A-Za-z0-9._-], starting"
                    + " with a letter or digit");
        }
        if (p.instanceId != null) {
            try {
                ChainIds.checkInstance("instanceId", p.instanceId);
            } catch (IllegalArgumentException e) {
                errors.rejectValue("instanceId", "auditlog.instanceId", "must be 1-64 characters of [A-Za-z0-9._-],"
                        + " starting with a letter or digit");
            }
        }
        if (p.sink != null && (p.sink.isBlank() || p.sink.indexOf(':') < 1)) {
            errors.rejectValue("sink", "auditlog.sink", "must be a sink spec SCHEME:..., such as file:./audit");
        }
        if (p.queueCapacity < 1 || p.queueCapacity > 1 << 24) {
            errors.rejectValue("queueCapacity", "auditlog.range", "must be between 1 and 16777216");
        }
        positive(errors, "blockTimeout", p.blockTimeout, false);
        positive(errors, "closeTimeout", p.closeTimeout, true);
        if (p.overflowPolicy == OverflowPolicy.BLOCK_WITH_TIMEOUT && p.blockTimeout == null) {
            errors.rejectValue("overflowPolicy", "auditlog.blockTimeout", "BLOCK_WITH_TIMEOUT needs"
                    + " auditlog.block-timeout");
        }
        if (p.checkpoint.everyRecords < 1 || p.checkpoint.everyRecords > 10_000_000) {
            errors.rejectValue("checkpoint.everyRecords", "auditlog.range", "must be between 1 and 10000000");
        }
        positive(errors, "checkpoint.interval", p.checkpoint.interval, true);
        if ((p.anchor.directory != null || p.anchor.stdout) && p.checkpoint.keyFile == null) {
            errors.rejectValue(p.anchor.directory != null ? "anchor.directory" : "anchor.stdout", "auditlog.anchor",
                    "anchors keep signed checkpoints: set auditlog.checkpoint.key-file too");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < p.protection.rules.size(); i++) {
            ThresholdRule r = p.protection.rules.get(i);
            String at = "protection.rules[" + i + "].";
            if (r.id == null || !RULE_ID.matcher(r.id).matches()) {
                errors.rejectValue(at + "id", "auditlog.rule", "must be 1-128 characters of [A-Za-z0-9._-]");
            } else if (!ids.add(r.id)) {
                errors.rejectValue(at + "id", "auditlog.rule", "is used by two rules");
            }
            if (r.action == null || !ACTION.matcher(r.action).matches()) {
                errors.rejectValue(at + "action", "auditlog.rule", "must be an action name or glob such as"
                        + " authn_login_fail");
            }
            if (r.count < 1 || r.count > 1_000_000) {
                errors.rejectValue(at + "count", "auditlog.range", "must be between 1 and 1000000");
            }
            positive(errors, at + "within", r.within, true);
            positive(errors, at + "lockFor", r.lockFor, false);
        }
        int status = p.web.lockout.status;
        if (status != 403 && status != 423 && status != 429) {
            errors.rejectValue("web.lockout.status", "auditlog.status", "must be 403, 423 or 429");
        }
        if (p.auditEvents.pageSize < 1 || p.auditEvents.pageSize > 1000) {
            errors.rejectValue("auditEvents.pageSize", "auditlog.range", "must be between 1 and 1000");
        }
    }

    private static void positive(Errors errors, String field, Duration d, boolean required) {
        if (d == null ? required : d.isNegative() || d.isZero()) {
            errors.rejectValue(field, "auditlog.duration", "must be a positive duration such as 30s");
        }
    }

    /** Signed checkpoints (docs/FORMAT.md). */
    public static class Checkpoint {
        /**
         * The private key file that signs checkpoints, as written by "auditlog keygen" (auditlog.key, mode 0600).
         * Without one the log writes no checkpoints, and a cut-off tail cannot be detected.
         */
        private Path keyFile;

        /** A checkpoint after at most this many records. */
        private int everyRecords = 1000;

        /** And at most this long after the previous one, idle or not. */
        private Duration interval = Duration.ofMinutes(1);

        public Path getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(Path keyFile) {
            this.keyFile = keyFile;
        }

        public int getEveryRecords() {
            return everyRecords;
        }

        public void setEveryRecords(int everyRecords) {
            this.everyRecords = everyRecords;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** Where durable checkpoints are kept off the log; needs auditlog.checkpoint.key-file. */
    public static class Anchor {
        /** A directory (another disk or host) keeping the latest checkpoint of each log, never going backwards. */
        private Path directory;

        /** Print each checkpoint to standard output, for the platform's log shipping. */
        private boolean stdout = false;

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public boolean isStdout() {
            return stdout;
        }

        public void setStdout(boolean stdout) {
            this.stdout = stdout;
        }
    }

    /** Detection rules and the guard (docs/PROTECTION.md). A Protection bean of the application replaces these. */
    public static class Protection {
        /** Threshold rules: COUNT matching events per key within a window raise an alert (and may lock the key). */
        private List<ThresholdRule> rules = new ArrayList<>();

        /** Deny guarded actions of a locked actor or IP (GuardRules.lockedOut()). */
        private boolean lockedOutGuard = true;

        /** Log every alert through SLF4J (logger dev.auditlog.alert). */
        private boolean logAlerts = true;

        public List<ThresholdRule> getRules() {
            return rules;
        }

        public void setRules(List<ThresholdRule> rules) {
            this.rules = rules;
        }

        public boolean isLockedOutGuard() {
            return lockedOutGuard;
        }

        public void setLockedOutGuard(boolean lockedOutGuard) {
            this.lockedOutGuard = lockedOutGuard;
        }

        public boolean isLogAlerts() {
            return logAlerts;
        }

        public void setLogAlerts(boolean logAlerts) {
            this.logAlerts = logAlerts;
        }
    }

    /** One threshold detection rule (Rules.threshold). */
    public static class ThresholdRule {
        /** The rule id, as alerts and metrics name it. */
        private String id;

        /** The action (or glob) counted, such as authn_login_fail. */
        private String action;

        /** Count only events with this outcome; any when unset. */
        private OutcomeStatus outcome;

        /** What is counted per: ACTOR or SOURCE_IP. */
        private dev.auditlog.protect.ThresholdKey keyBy = dev.auditlog.protect.ThresholdKey.ACTOR;

        /** Events within the window that raise an alert. */
        private int count = 5;

        /** The window. */
        private Duration within = Duration.ofMinutes(1);

        /** The alert's severity. */
        private Severity severity = Severity.WARNING;

        /** When set, the alert's key (the actor or IP) is locked out this long, and the guard denies it. */
        private Duration lockFor;

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public String getAction() {
            return action;
        }

        public void setAction(String action) {
            this.action = action;
        }

        public OutcomeStatus getOutcome() {
            return outcome;
        }

        public void setOutcome(OutcomeStatus outcome) {
            this.outcome = outcome;
        }

        public dev.auditlog.protect.ThresholdKey getKeyBy() {
            return keyBy;
        }

        public void setKeyBy(dev.auditlog.protect.ThresholdKey keyBy) {
            this.keyBy = keyBy;
        }

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }

        public Duration getWithin() {
            return within;
        }

        public void setWithin(Duration within) {
            this.within = within;
        }

        public Severity getSeverity() {
            return severity;
        }

        public void setSeverity(Severity severity) {
            this.severity = severity;
        }

        public Duration getLockFor() {
            return lockFor;
        }

        public void setLockFor(Duration lockFor) {
            this.lockFor = lockFor;
        }
    }

    /** Spring Security events. */
    public static class Security {
        /**
         * Record authentication success and failure, authorization denial and logout as typed records
         * (authn_login_success, authn_login_fail, authz_fail, authn_logout).
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** Servlet web applications. */
    public static class Web {
        private final Lockout lockout = new Lockout();

        public Lockout getLockout() {
            return lockout;
        }
    }

    /** The filter that asks the guard before a request reaches the application. */
    public static class Lockout {
        /** Whether to register the lockout filter. */
        private boolean enabled = true;

        /** The status a denied request gets: 403, 423 or 429. */
        private int status = 403;

        /** Ant-style paths the guard is asked for (each decision is a record written synchronously). */
        private List<String> includePaths = new ArrayList<>(List.of("/**"));

        /** Paths never guarded. */
        private List<String> excludePaths = new ArrayList<>(List.of("/actuator/**", "/error"));

        /** The form parameter that names the user on a login POST. */
        private String usernameParameter = "username";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getStatus() {
            return status;
        }

        public void setStatus(int status) {
            this.status = status;
        }

        public List<String> getIncludePaths() {
            return includePaths;
        }

        public void setIncludePaths(List<String> includePaths) {
            this.includePaths = includePaths;
        }

        public List<String> getExcludePaths() {
            return excludePaths;
        }

        public void setExcludePaths(List<String> excludePaths) {
            this.excludePaths = excludePaths;
        }

        public String getUsernameParameter() {
            return usernameParameter;
        }

        public void setUsernameParameter(String usernameParameter) {
            this.usernameParameter = usernameParameter;
        }
    }

    /** The AuditEventRepository behind /actuator/auditevents. */
    public static class AuditEvents {
        /** Serve Spring Boot's AuditEventRepository from the log. */
        private boolean enabled = true;

        /** Events per page of /actuator/auditevents when the request names no limit (1-1000). */
        private int pageSize = 100;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPageSize() {
            return pageSize;
        }

        public void setPageSize(int pageSize) {
            this.pageSize = pageSize;
        }
    }
}
