package dev.auditlog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One audit event: who ({@link #actor()}) did what ({@link #action()}) to which resources ({@link #targets()}),
 * with which result ({@link #outcome()}), from where ({@link #origin()}), plus correlation ids and structured
 * attributes.
 *
 * <p>Immutable and thread-safe; create one with {@link #builder()}. Every value is validated when the event is
 * built: strings must be non-empty, well-formed UTF-16 (no lone surrogates) and within {@link AuditLimits}.
 * Control characters, quotes, backslashes and line separators are legal values: serializers escape them, so
 * they cannot forge log lines (CWE-117).
 *
 * <p>Attribute values are {@code String}, {@code Long}, {@code Boolean}, {@link Sensitive}, {@code List} or
 * {@code Map<String, Object>} of those, recursively; {@link #attributes()} is deeply immutable and every map in
 * it iterates in key order.
 */
public final class AuditEvent {

    /** The syntax of action names: dot-separated lower-case segments, e.g. {@code authn_login_fail}. */
    public static final String ACTION_REGEX = "[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*";

    /** Maximum length of an action name. */
    public static final int MAX_ACTION_LENGTH = 128;


    private final UUID eventId;
    private final Instant occurredAt;
    private final String action;
    private final Category category;
    private final Severity severity;
    private final Actor actor;
    private final List<Target> targets;
    private final Outcome outcome;
    private final Origin origin;
    private final String traceId;
    private final String spanId;
    private final String requestId;
    private final String correlationId;
    private final String tenantId;
    private final String message;
    private final AttributeMap attributes;
    private final AuditLimits limits;

    private AuditEvent(Builder b, UUID eventId) {
        this.eventId = eventId;
        this.occurredAt = b.occurredAt;
        this.action = b.action;
        this.category = b.category;
        this.severity = b.severity;
        this.actor = b.actor;
        this.targets = b.targetList();
        this.outcome = b.outcome;
        this.origin = b.origin;
        this.traceId = b.traceId;
        this.spanId = b.spanId;
        this.requestId = b.requestId;
        this.correlationId = b.correlationId;
        this.tenantId = b.tenantId;
        this.message = b.message;
        this.attributes = b.attributeMap();
        this.limits = b.limits;
    }

    /** Returns a builder that validates against {@link AuditLimits#defaults()}. */
    public static Builder builder() {
        return new Builder(AuditLimits.defaults());
    }

    /** Returns a builder that validates against the given limits. */
    public static Builder builder(AuditLimits limits) {
        return new Builder(Validation.notNull(limits, "limits"));
    }

    /**
     * Returns a builder initialised with all fields of this event, including its {@link #eventId()}, and the
     * limits it was built with. Change the id with {@link Builder#eventId(UUID)} when deriving a new event.
     */
    public Builder toBuilder() {
        Builder b = new Builder(limits);
        b.eventId = eventId;
        b.occurredAt = occurredAt;
        b.action = action;
        b.category = category;
        b.severity = severity;
        b.actor = actor;
        for (Target t : targets) {
            b.addTarget(t);
        }
        b.outcome = outcome;
        b.origin = origin;
        b.traceId = traceId;
        b.spanId = spanId;
        b.requestId = requestId;
        b.correlationId = correlationId;
        b.tenantId = tenantId;
        b.message = message;
        if (!attributes.isEmpty()) {
            b.attributes = new Object[2 * attributes.size()];
            for (int i = 0; i < attributes.size(); i++) {
                b.attributes[2 * i] = attributes.name(i);
                b.attributes[2 * i + 1] = attributes.value(i);
            }
            b.attributeCount = attributes.size();
        }
        return b;
    }

    /** The unique event id; a time-ordered UUIDv7 unless one was supplied. */
    public UUID eventId() {
        return eventId;
    }

    /** When the action happened, with nanosecond precision; absent means the log fills it in from its clock. */
    public Optional<Instant> occurredAt() {
        return Optional.ofNullable(occurredAt);
    }

    /** The action name, matching {@value #ACTION_REGEX}; see {@link AuditActions} for a standard vocabulary. */
    public String action() {
        return action;
    }

    /** The event category; {@link Category#OTHER} unless set. */
    public Category category() {
        return category;
    }

    /** The event severity; {@link Severity#INFO} unless set. */
    public Severity severity() {
        return severity;
    }

    /** Who performed the action. */
    public Actor actor() {
        return actor;
    }

    /** The resources acted upon, in the order added; immutable, possibly empty. */
    public List<Target> targets() {
        return targets;
    }

    /** The result of the action. */
    public Outcome outcome() {
        return outcome;
    }

    /** Where the request came from. */
    public Optional<Origin> origin() {
        return Optional.ofNullable(origin);
    }

    /** The distributed-tracing trace id (e.g. W3C trace-context). */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }

    /** The distributed-tracing span id. */
    public Optional<String> spanId() {
        return Optional.ofNullable(spanId);
    }

    /** The id of the request that caused the event. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** An id correlating events of one business transaction. */
    public Optional<String> correlationId() {
        return Optional.ofNullable(correlationId);
    }

    /** The tenant the event belongs to, in multi-tenant applications. */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** A human-readable description. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /** Structured attributes; deeply immutable, iterating in key order (nested maps too). */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** {@link #origin()} without an Optional, for this package's hot paths. */
    Origin originOrNull() {
        return origin;
    }

    /** The chars of the trace, span, request, correlation and tenant ids and the message, for {@link RecordSize}. */
    long optionalTextChars() {
        return length(traceId) + length(spanId) + length(requestId) + length(correlationId) + length(tenantId)
                + length(message);
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    /** {@link #attributes()} with indexed access, for this package's hot paths (no entry objects). */
    AttributeMap attributeMap() {
        return attributes;
    }

    /** Equality over all fields, including {@link #eventId()}; the limits used to build are not compared. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AuditEvent)) {
            return false;
        }
        AuditEvent other = (AuditEvent) o;
        return eventId.equals(other.eventId) && Objects.equals(occurredAt, other.occurredAt)
                && action.equals(other.action) && category == other.category && severity == other.severity
                && actor.equals(other.actor) && targets.equals(other.targets) && outcome.equals(other.outcome)
                && Objects.equals(origin, other.origin) && Objects.equals(traceId, other.traceId)
                && Objects.equals(spanId, other.spanId) && Objects.equals(requestId, other.requestId)
                && Objects.equals(correlationId, other.correlationId) && Objects.equals(tenantId, other.tenantId)
                && Objects.equals(message, other.message) && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, occurredAt, action, category, severity, actor, targets, outcome, origin,
                traceId, spanId, requestId, correlationId, tenantId, message, attributes);
    }

    /**
     * A single-line, escaped rendering for debugging; not a serialization format. Values of attributes whose names
     * look like secrets (see {@link Redaction}) are shown as {@code ***}, and
     * {@link Sensitive} values as {@code Sensitive[pii]}.
     */
    @Override
    public String toString() {
        return EventText.of(this);
    }

    /**
     * Builds an {@link AuditEvent}. Setters reject null arguments immediately with a
     * {@link NullPointerException} naming the argument, and malformed values with an
     * {@link IllegalArgumentException}; limits on nested values are checked by {@link #build()}. Setting a
     * field twice keeps the last value. Not thread-safe.
     */
    public static final class Builder {
        private final AuditLimits limits;
        private UUID eventId;
        private Instant occurredAt;
        private String action;
        private Category category = Category.OTHER;
        private Severity severity = Severity.INFO;
        private Actor actor;
        /** The first target: most events have one, which then needs no array. */
        private Target target0;
        /** Every target once there are two or more; null before. */
        private Target[] targets;
        private int targetCount;
        private Outcome outcome;
        private Origin origin;
        private String traceId;
        private String spanId;
        private String requestId;
        private String correlationId;
        private String tenantId;
        private String message;
        /** name, value, name, value, ... sorted by name (see {@link AttributeMap}); null until the first one. */
        private Object[] attributes;
        private int attributeCount;
        /** Whether a built event holds {@link #attributes}: then it is copied before it changes. */
        private boolean attributesShared;

        private Builder(AuditLimits limits) {
            this.limits = limits;
        }

        /** Sets the event id (any UUID); when unset, {@link #build()} generates a UUIDv7. */
        public Builder eventId(UUID eventId) {
            this.eventId = Validation.notNull(eventId, "eventId");
            return this;
        }

        /**
         * Gives the event a fresh event id (a new UUIDv7), for an event derived from another with
         * {@link AuditEvent#toBuilder()}, such as the outcome recorded after an intent.
         */
        public Builder newEventId() {
            this.eventId = UuidV7.next();
            return this;
        }

        /**
         * Sets when the action happened; when unset the log fills it in from its clock.
         *
         * @throws IllegalArgumentException unless it lies within years 1000-9999 (UTC), the range every store
         *     holds (see docs/FORMAT.md §4)
         */
        public Builder occurredAt(Instant occurredAt) {
            this.occurredAt = Validation.instant("occurredAt", occurredAt);
            return this;
        }

        /**
         * Sets the required action name.
         *
         * @throws IllegalArgumentException unless it matches {@value AuditEvent#ACTION_REGEX} and has 1-128 chars
         */
        public Builder action(String action) {
            Validation.notNull(action, "action");
            if (action.length() > MAX_ACTION_LENGTH || !Validation.isDottedName(action, false)) {
                if (action.isEmpty()) {
                    Validation.text("action", action);
                }
                Validation.wellFormed("action", action);
                throw new IllegalArgumentException("action must match " + ACTION_REGEX + " and be 1-"
                        + MAX_ACTION_LENGTH + " chars, was " + Validation.describe(action));
            }
            this.action = action;
            return this;
        }

        /** Sets the category (default {@link Category#OTHER}). */
        public Builder category(Category category) {
            this.category = Validation.notNull(category, "category");
            return this;
        }

        /** Sets the severity (default {@link Severity#INFO}). */
        public Builder severity(Severity severity) {
            this.severity = Validation.notNull(severity, "severity");
            return this;
        }

        /** Sets the required actor. */
        public Builder actor(Actor actor) {
            this.actor = Validation.notNull(actor, "actor");
            return this;
        }

        /** Appends a target. */
        public Builder target(Target target) {
            addTarget(Validation.notNull(target, "target"));
            return this;
        }

        private void addTarget(Target target) {
            if (targetCount == 0) {
                target0 = target;
            } else {
                if (targets == null) {
                    targets = new Target[4];
                    targets[0] = target0;
                } else if (targetCount == targets.length) {
                    targets = Arrays.copyOf(targets, 2 * targetCount);
                }
                targets[targetCount] = target;
            }
            targetCount++;
        }

        private Target target(int i) {
            return i == 0 ? target0 : targets[i];
        }

        private List<Target> targetList() {
            return targetCount == 0 ? List.of() : targetCount == 1 ? List.of(target0)
                    : List.of(Arrays.copyOf(targets, targetCount));
        }

        /** Appends a target of the given type and id; see {@link Target#of(String, String)}. */
        public Builder target(String type, String id) {
            return target(Target.of(type, id));
        }

        /** Replaces all targets with the given ones, in iteration order. */
        public Builder targets(Collection<Target> targets) {
            Validation.notNull(targets, "targets");
            List<Target> copy = new ArrayList<>(targets.size());
            for (Target t : targets) {
                copy.add(Validation.notNull(t, "targets element"));
            }
            this.target0 = null;
            this.targets = null;
            this.targetCount = 0;
            for (Target t : copy) {
                addTarget(t);
            }
            return this;
        }

        /** Sets the required outcome. */
        public Builder outcome(Outcome outcome) {
            this.outcome = Validation.notNull(outcome, "outcome");
            return this;
        }

        /** Sets where the request came from. */
        public Builder origin(Origin origin) {
            this.origin = Validation.notNull(origin, "origin");
            return this;
        }

        /** Sets the trace id (limit {@code maxIdLength}). */
        public Builder traceId(String traceId) {
            this.traceId = id("traceId", traceId);
            return this;
        }

        /** Sets the span id (limit {@code maxIdLength}). */
        public Builder spanId(String spanId) {
            this.spanId = id("spanId", spanId);
            return this;
        }

        /** Sets the request id (limit {@code maxIdLength}). */
        public Builder requestId(String requestId) {
            this.requestId = id("requestId", requestId);
            return this;
        }

        /** Sets the correlation id (limit {@code maxIdLength}). */
        public Builder correlationId(String correlationId) {
            this.correlationId = id("correlationId", correlationId);
            return this;
        }

        /** Sets the tenant id (limit {@code maxIdLength}). */
        public Builder tenantId(String tenantId) {
            this.tenantId = id("tenantId", tenantId);
            return this;
        }

        /** Sets the human-readable message (limit {@code maxTextLength}). */
        public Builder message(String message) {
            Validation.notNull(message, "message");
            this.message = Validation.text("message", message, limits.maxTextLength(), "maxTextLength");
            return this;
        }

        /** Sets a string attribute, replacing any attribute of the same name. */
        public Builder attribute(String name, String value) {
            return putAttribute(name, Validation.notNull(value, "value"));
        }

        /** Sets an integer attribute, replacing any attribute of the same name. */
        public Builder attribute(String name, long value) {
            return putAttribute(name, value);
        }

        /** Sets a boolean attribute, replacing any attribute of the same name. */
        public Builder attribute(String name, boolean value) {
            return putAttribute(name, value);
        }

        /**
         * Sets a list attribute (deep-copied), replacing any attribute of the same name.
         *
         * @throws IllegalArgumentException naming the attribute path if an element has an unsupported type or
         *     the nesting exceeds {@code maxAttributeDepth}
         */
        public Builder attribute(String name, List<?> value) {
            return putAttribute(name, Validation.notNull(value, "value"));
        }

        /**
         * Sets a map attribute (deep-copied, keys sorted), replacing any attribute of the same name.
         *
         * @throws IllegalArgumentException naming the attribute path if a key or value is not supported or the
         *     nesting exceeds {@code maxAttributeDepth}
         */
        public Builder attribute(String name, Map<String, ?> value) {
            return putAttribute(name, Validation.notNull(value, "value"));
        }

        /**
         * Sets an attribute holding personal data, replacing any attribute of the same name. An
         * {@link dev.auditlog.AuditLog} redacts it (mask, hash or drop, see {@link Redaction})
         * before the event is serialised; nothing serialises an unredacted {@code Sensitive}. {@link Sensitive}
         * values may also appear inside list and map attributes.
         */
        public Builder attribute(String name, Sensitive value) {
            return putAttribute(name, Validation.notNull(value, "value"));
        }

        /** Removes every attribute. */
        public Builder clearAttributes() {
            attributes = null;
            attributeCount = 0;
            attributesShared = false;
            return this;
        }

        /** Removes the message. */
        public Builder clearMessage() {
            message = null;
            return this;
        }

        private Builder putAttribute(String name, Object value) {
            Validation.notNull(name, "name");
            Attributes.checkName("attribute name", name, limits.maxAttributeNameLength());
            Object normalised = value instanceof String || value instanceof Long || value instanceof Boolean
                    || value instanceof Sensitive ? value : Attributes.normalise("attributes." + name, value, 0, limits);
            if (attributes == null) {
                attributes = new Object[8];
            } else if (attributesShared) {
                attributes = attributes.clone();
            }
            attributesShared = false;
            int i = AttributeMap.indexOf(attributes, attributeCount, name);
            if (i >= 0) {
                attributes[2 * i + 1] = normalised;
                return this;
            }
            i = -i - 1;
            if (2 * attributeCount == attributes.length) {
                attributes = Arrays.copyOf(attributes, 2 * attributes.length);
            }
            System.arraycopy(attributes, 2 * i, attributes, 2 * i + 2, 2 * (attributeCount - i));
            attributes[2 * i] = name;
            attributes[2 * i + 1] = normalised;
            attributeCount++;
            return this;
        }

        private AttributeMap attributeMap() {
            if (attributeCount == 0) {
                return AttributeMap.EMPTY;
            }
            attributesShared = true;
            return new AttributeMap(attributes, attributeCount);
        }

        private String id(String field, String value) {
            Validation.notNull(value, field);
            return Validation.text(field, value, limits.maxIdLength(), "maxIdLength");
        }

        /**
         * Validates everything against the limits and returns the event; never null. Generates a UUIDv7 id
         * when none was set (so each call then yields a different id).
         *
         * @throws IllegalStateException if a required field ({@code action}, {@code actor}, {@code outcome})
         *     is missing, e.g. {@code "action is required"}
         * @throws IllegalArgumentException if a value breaks a rule or limit; the message names the field, the
         *     rule and the (shortened, escaped) offending value; for {@link AuditLimits#maxRecordBytes()}, the size
         *     and the largest field
         */
        public AuditEvent build() {
            Validation.required(action, "action");
            Validation.required(actor, "actor");
            Validation.required(outcome, "outcome");
            Validation.actorWithin("actor", actor, limits);
            if (targetCount > limits.maxTargets()) {
                throw new IllegalArgumentException("targets must have at most " + limits.maxTargets()
                        + " entries (maxTargets), was " + targetCount);
            }
            for (int i = 0; i < targetCount; i++) {
                Target t = target(i);
                if (t.id().length() > limits.maxIdLength()) {
                    Validation.maxLength("targets[" + i + "].id", t.id(), limits.maxIdLength(), "maxIdLength");
                }
                String name = t.nameOrNull();
                if (name != null && name.length() > limits.maxNameLength()) {
                    Validation.maxLength("targets[" + i + "].name", name, limits.maxNameLength(), "maxNameLength");
                }
            }
            Validation.within("outcome", ".reasonCode", outcome.reasonCodeOrNull(), limits.maxIdLength(),
                    "maxIdLength");
            Validation.within("outcome", ".reason", outcome.reasonOrNull(), limits.maxTextLength(), "maxTextLength");
            if (origin != null) {
                Validation.within("origin", ".userAgent", origin.userAgentOrNull(), limits.maxUserAgentLength(),
                        "maxUserAgentLength");
                Validation.within("origin", ".host", origin.hostOrNull(), limits.maxIdLength(), "maxIdLength");
            }
            Validation.within("traceId", "", traceId, limits.maxIdLength(), "maxIdLength");
            Validation.within("spanId", "", spanId, limits.maxIdLength(), "maxIdLength");
            Validation.within("requestId", "", requestId, limits.maxIdLength(), "maxIdLength");
            Validation.within("correlationId", "", correlationId, limits.maxIdLength(), "maxIdLength");
            Validation.within("tenantId", "", tenantId, limits.maxIdLength(), "maxIdLength");
            Validation.within("message", "", message, limits.maxTextLength(), "maxTextLength");
            Attributes.validate(attributes, attributeCount, limits);
            AuditEvent event = new AuditEvent(this, eventId != null ? eventId : UuidV7.next());
            RecordSize.check(event, limits);
            return event;
        }
    }
}
