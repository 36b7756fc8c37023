package dev.auditlog;

import java.util.Objects;
import java.util.Optional;

/**
 * Who performed an audited action: a user, a service or the system itself, optionally acting on behalf of
 * another actor (delegation, impersonation, a service acting for a user).
 *
 * <p>Immutable. Strings must be non-empty, well-formed UTF-16; their lengths are checked against
 * {@link AuditLimits} when the {@link AuditEvent} is built. The {@link #onBehalfOf()} chain may be at most
 * {@value #MAX_ON_BEHALF_OF_DEPTH} levels deep.
 */
public final class Actor {

    /** Maximum number of nested {@link #onBehalfOf()} levels below an actor. */
    public static final int MAX_ON_BEHALF_OF_DEPTH = 4;

    private final String id;
    private final ActorType type;
    private final String displayName;
    private final String sessionId;
    private final Actor onBehalfOf;

    private Actor(Builder b) {
        this(b.id, b.type, b.displayName, b.sessionId, b.onBehalfOf);
    }

    private Actor(String id, ActorType type, String displayName, String sessionId, Actor onBehalfOf) {
        this.id = id;
        this.type = type;
        this.displayName = displayName;
        this.sessionId = sessionId;
        this.onBehalfOf = onBehalfOf;
    }

    /** Returns a {@link ActorType#USER} actor with the given id. */
    public static Actor user(String id) {
        return of(id, ActorType.USER);
    }

    /** Returns a {@link ActorType#SERVICE} actor with the given id. */
    public static Actor service(String id) {
        return of(id, ActorType.SERVICE);
    }

    /** Returns a {@link ActorType#SYSTEM} actor with the given id. */
    public static Actor system(String id) {
        return of(id, ActorType.SYSTEM);
    }

    /** What {@code builder(id, type).build()} returns, without the builder (one per event in the usual code). */
    private static Actor of(String id, ActorType type) {
        return new Actor(Builder.checkId(id), type, null, null, null);
    }

    /** Returns an empty builder; {@code id} and {@code type} must be set before {@code build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder with the two required fields already set. */
    public static Builder builder(String id, ActorType type) {
        return new Builder().id(id).type(type);
    }

    /** Returns a builder initialised with this actor's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.type = type;
        b.displayName = displayName;
        b.sessionId = sessionId;
        b.onBehalfOf = onBehalfOf;
        return b;
    }

    /** The stable identifier of the principal (user id, service name, ...); never a secret. */
    public String id() {
        return id;
    }

    /** The kind of principal. */
    public ActorType type() {
        return type;
    }

    /** A human-readable name for display; not used for identification. */
    public Optional<String> displayName() {
        return Optional.ofNullable(displayName);
    }

    /**
     * A reference to the session the action was performed in. This is logged verbatim: pass a session
     * reference or a hash of the session id, never the raw session token or cookie value.
     */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /** The actor on whose behalf this actor acted, if any. */
    public Optional<Actor> onBehalfOf() {
        return Optional.ofNullable(onBehalfOf);
    }

    // Without an Optional, for the checks every event's build makes (RecordSize, Validation).
    String displayNameOrNull() {
        return displayName;
    }

    String sessionIdOrNull() {
        return sessionId;
    }

    Actor onBehalfOfOrNull() {
        return onBehalfOf;
    }

    /** Number of {@link #onBehalfOf()} levels below this actor (0 when there is none). */
    int onBehalfOfDepth() {
        return onBehalfOf == null ? 0 : 1 + onBehalfOf.onBehalfOfDepth();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Actor)) {
            return false;
        }
        Actor other = (Actor) o;
        return id.equals(other.id) && type == other.type && Objects.equals(displayName, other.displayName)
                && Objects.equals(sessionId, other.sessionId) && Objects.equals(onBehalfOf, other.onBehalfOf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, displayName, sessionId, onBehalfOf);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Actor{id=\"").append(Validation.escape(id)).append("\", type=").append(type);
        if (displayName != null) {
            sb.append(", displayName=\"").append(Validation.escape(displayName)).append('"');
        }
        if (sessionId != null) {
            sb.append(", sessionId=\"").append(Validation.escape(sessionId)).append('"');
        }
        if (onBehalfOf != null) {
            sb.append(", onBehalfOf=").append(onBehalfOf);
        }
        return sb.append('}').toString();
    }

    /** Builds an {@link Actor}. Setters reject null and malformed values immediately. Not thread-safe. */
    public static final class Builder {
        private String id;
        private ActorType type;
        private String displayName;
        private String sessionId;
        private Actor onBehalfOf;

        private Builder() {
        }

        /** Sets the required id; non-empty, well-formed UTF-16. */
        public Builder id(String id) {
            this.id = checkId(id);
            return this;
        }

        private static String checkId(String id) {
            return Validation.text("actor.id", Validation.notNull(id, "id"));
        }

        /** Sets the required actor type. */
        public Builder type(ActorType type) {
            this.type = Validation.notNull(type, "type");
            return this;
        }

        /** Sets the display name; non-empty, well-formed UTF-16. */
        public Builder displayName(String displayName) {
            this.displayName = Validation.text("actor.displayName", Validation.notNull(displayName, "displayName"));
            return this;
        }

        /**
         * Sets the session reference; non-empty, well-formed UTF-16. Pass a session reference or hash, never
         * the raw session token: audit logs are widely readable and long-lived.
         */
        public Builder sessionId(String sessionId) {
            this.sessionId = Validation.text("actor.sessionId", Validation.notNull(sessionId, "sessionId"));
            return this;
        }

        /**
         * Sets the actor on whose behalf this one acts.
         *
         * @throws IllegalArgumentException if the resulting chain would exceed
         *     {@value Actor#MAX_ON_BEHALF_OF_DEPTH} levels
         */
        public Builder onBehalfOf(Actor onBehalfOf) {
            Validation.notNull(onBehalfOf, "onBehalfOf");
            checkDepth(onBehalfOf);
            this.onBehalfOf = onBehalfOf;
            return this;
        }

        /**
         * Returns the actor; never null.
         *
         * @throws IllegalStateException if {@code id} or {@code type} was not set
         */
        public Actor build() {
            if (id == null) {
                throw new IllegalStateException("actor.id is required");
            }
            if (type == null) {
                throw new IllegalStateException("actor.type is required");
            }
            if (onBehalfOf != null) {
                checkDepth(onBehalfOf);
            }
            return new Actor(this);
        }

        private static void checkDepth(Actor onBehalfOf) {
            int depth = 1 + onBehalfOf.onBehalfOfDepth();
            if (depth > MAX_ON_BEHALF_OF_DEPTH) {
                throw new IllegalArgumentException("actor.onBehalfOf must be nested at most " + MAX_ON_BEHALF_OF_DEPTH
                        + " levels deep, was " + depth);
            }
        }
    }
}
