package dev.auditlog;

import java.util.Objects;
import java.util.Optional;

/**
 * A resource an audited action was applied to, e.g. {@code Target.of("document", "42", "Q3 report")}.
 *
 * <p>Immutable. The type is a short machine-readable name matching {@value #TYPE_REGEX} with 1–
 * {@value #MAX_TYPE_LENGTH} chars; id and name are non-empty, well-formed UTF-16 whose lengths are checked
 * against {@link AuditLimits} when the {@link AuditEvent} is built.
 */
public final class Target {

    /** The syntax of target types: dot-separated lower-case segments that may contain digits, '_' and '-'. */
    public static final String TYPE_REGEX = "[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*";

    /** Maximum length of a target type. */
    public static final int MAX_TYPE_LENGTH = 64;


    private final String type;
    private final String id;
    private final String name;

    private Target(String type, String id, String name) {
        this.type = type;
        this.id = id;
        this.name = name;
    }

    /**
     * Returns a target without a display name.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code type} breaks the type rule or {@code id} is empty/malformed
     */
    public static Target of(String type, String id) {
        return new Target(checkType(type), Validation.text("target.id", Validation.notNull(id, "id")), null);
    }

    /** Returns a target with a human-readable name; same rules as {@link #of(String, String)}. */
    public static Target of(String type, String id, String name) {
        return new Target(checkType(type), Validation.text("target.id", Validation.notNull(id, "id")),
                Validation.text("target.name", Validation.notNull(name, "name")));
    }

    private static String checkType(String type) {
        Validation.notNull(type, "type");
        if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH || !Validation.isDottedName(type, true)) {
            Validation.text("target.type", type);
            throw new IllegalArgumentException("target.type must match " + TYPE_REGEX + " and be 1-"
                    + MAX_TYPE_LENGTH + " chars, was " + Validation.describe(type));
        }
        return type;
    }

    /** The kind of resource, e.g. {@code document} or {@code billing.invoice}. */
    public String type() {
        return type;
    }

    /** The identifier of the resource within its type. */
    public String id() {
        return id;
    }

    /** A human-readable name of the resource. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@link #name()} without an Optional, for the checks every event's build makes. */
    String nameOrNull() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Target)) {
            return false;
        }
        Target other = (Target) o;
        return type.equals(other.type) && id.equals(other.id) && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, id, name);
    }

    @Override
    public String toString() {
        return "Target{type=" + type + ", id=\"" + Validation.escape(id) + '"'
                + (name == null ? "" : ", name=\"" + Validation.escape(name) + '"') + '}';
    }
}
