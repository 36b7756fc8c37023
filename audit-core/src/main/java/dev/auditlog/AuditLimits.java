package dev.auditlog;

import java.util.Objects;

/**
 * Size limits applied when an {@link AuditEvent} is built, so that one event cannot flood a sink or a reader.
 *
 * <p>All lengths are in UTF-16 chars ({@link String#length()}). Defaults:
 * <ul>
 *   <li>{@code maxIdLength} = 256</li>
 *   <li>{@code maxNameLength} = 512</li>
 *   <li>{@code maxTextLength} = 8192</li>
 *   <li>{@code maxUserAgentLength} = 1024</li>
 *   <li>{@code maxAttributes} = 64</li>
 *   <li>{@code maxAttributeDepth} = 4</li>
 *   <li>{@code maxAttributeElements} = 1024</li>
 *   <li>{@code maxAttributeStringLength} = 4096</li>
 *   <li>{@code maxAttributeNameLength} = 64</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. Character rules (allowed action, target-type and attribute-name syntax,
 * well-formed UTF-16) are not configurable.
 */
public final class AuditLimits {

    private static final AuditLimits DEFAULTS = builder().build();

    private final int maxIdLength;
    private final int maxNameLength;
    private final int maxTextLength;
    private final int maxUserAgentLength;
    private final int maxAttributes;
    private final int maxAttributeDepth;
    private final int maxAttributeElements;
    private final int maxAttributeStringLength;
    private final int maxAttributeNameLength;

    private AuditLimits(Builder b) {
        this.maxIdLength = b.maxIdLength;
        this.maxNameLength = b.maxNameLength;
        this.maxTextLength = b.maxTextLength;
        this.maxUserAgentLength = b.maxUserAgentLength;
        this.maxAttributes = b.maxAttributes;
        this.maxAttributeDepth = b.maxAttributeDepth;
        this.maxAttributeElements = b.maxAttributeElements;
        this.maxAttributeStringLength = b.maxAttributeStringLength;
        this.maxAttributeNameLength = b.maxAttributeNameLength;
    }

    /** Returns the default limits listed in the class documentation. */
    public static AuditLimits defaults() {
        return DEFAULTS;
    }

    /** Returns a builder initialised with the default limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with these limits, for deriving a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxIdLength = maxIdLength;
        b.maxNameLength = maxNameLength;
        b.maxTextLength = maxTextLength;
        b.maxUserAgentLength = maxUserAgentLength;
        b.maxAttributes = maxAttributes;
        b.maxAttributeDepth = maxAttributeDepth;
        b.maxAttributeElements = maxAttributeElements;
        b.maxAttributeStringLength = maxAttributeStringLength;
        b.maxAttributeNameLength = maxAttributeNameLength;
        return b;
    }

    /** Maximum chars of identifiers: actor id, target id, session id, trace/span/request/correlation id, tenant id, origin host and outcome reason code. Default 256. */
    public int maxIdLength() {
        return maxIdLength;
    }

    /** Maximum chars of human-readable names: actor display name and target name. Default 512. */
    public int maxNameLength() {
        return maxNameLength;
    }

    /** Maximum chars of free text: the event message and the outcome reason. Default 8192. */
    public int maxTextLength() {
        return maxTextLength;
    }

    /** Maximum chars of the origin user agent. Default 1024. */
    public int maxUserAgentLength() {
        return maxUserAgentLength;
    }

    /** Maximum number of top-level attributes. Default 64. */
    public int maxAttributes() {
        return maxAttributes;
    }

    /** Maximum nesting of lists/maps in an attribute value (a scalar has depth 0, a list of scalars depth 1). Default 4. */
    public int maxAttributeDepth() {
        return maxAttributeDepth;
    }

    /** Maximum number of values across the whole attribute tree (every attribute value, list element and map value counts one). Default 1024. */
    public int maxAttributeElements() {
        return maxAttributeElements;
    }

    /** Maximum chars of a string attribute value. Default 4096. */
    public int maxAttributeStringLength() {
        return maxAttributeStringLength;
    }

    /** Maximum chars of an attribute name or nested map key. Default 64. */
    public int maxAttributeNameLength() {
        return maxAttributeNameLength;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AuditLimits)) {
            return false;
        }
        AuditLimits other = (AuditLimits) o;
        return maxIdLength == other.maxIdLength
                && maxNameLength == other.maxNameLength
                && maxTextLength == other.maxTextLength
                && maxUserAgentLength == other.maxUserAgentLength
                && maxAttributes == other.maxAttributes
                && maxAttributeDepth == other.maxAttributeDepth
                && maxAttributeElements == other.maxAttributeElements
                && maxAttributeStringLength == other.maxAttributeStringLength
                && maxAttributeNameLength == other.maxAttributeNameLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxIdLength, maxNameLength, maxTextLength, maxUserAgentLength, maxAttributes, maxAttributeDepth, maxAttributeElements, maxAttributeStringLength, maxAttributeNameLength);
    }

    @Override
    public String toString() {
        return "AuditLimits{"
                + "maxIdLength=" + maxIdLength
                + ", maxNameLength=" + maxNameLength
                + ", maxTextLength=" + maxTextLength
                + ", maxUserAgentLength=" + maxUserAgentLength
                + ", maxAttributes=" + maxAttributes
                + ", maxAttributeDepth=" + maxAttributeDepth
                + ", maxAttributeElements=" + maxAttributeElements
                + ", maxAttributeStringLength=" + maxAttributeStringLength
                + ", maxAttributeNameLength=" + maxAttributeNameLength
                + '}';
    }

    /** Builds {@link AuditLimits}; every setter requires a positive value. Not thread-safe. */
    public static final class Builder {
        private int maxIdLength = 256;
        private int maxNameLength = 512;
        private int maxTextLength = 8192;
        private int maxUserAgentLength = 1024;
        private int maxAttributes = 64;
        private int maxAttributeDepth = 4;
        private int maxAttributeElements = 1024;
        private int maxAttributeStringLength = 4096;
        private int maxAttributeNameLength = 64;

        private Builder() {
        }

        /**
         * Sets {@link AuditLimits#maxIdLength()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxIdLength(int value) {
            this.maxIdLength = positive("maxIdLength", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxNameLength()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxNameLength(int value) {
            this.maxNameLength = positive("maxNameLength", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxTextLength()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxTextLength(int value) {
            this.maxTextLength = positive("maxTextLength", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxUserAgentLength()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxUserAgentLength(int value) {
            this.maxUserAgentLength = positive("maxUserAgentLength", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxAttributes()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxAttributes(int value) {
            this.maxAttributes = positive("maxAttributes", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxAttributeDepth()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxAttributeDepth(int value) {
            this.maxAttributeDepth = positive("maxAttributeDepth", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxAttributeElements()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxAttributeElements(int value) {
            this.maxAttributeElements = positive("maxAttributeElements", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxAttributeStringLength()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxAttributeStringLength(int value) {
            this.maxAttributeStringLength = positive("maxAttributeStringLength", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxAttributeNameLength()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxAttributeNameLength(int value) {
            this.maxAttributeNameLength = positive("maxAttributeNameLength", value);
            return this;
        }

        /** Returns the immutable limits; never null. */
        public AuditLimits build() {
            return new AuditLimits(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
