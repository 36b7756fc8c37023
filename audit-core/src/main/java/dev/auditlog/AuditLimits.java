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
 *   <li>{@code maxTargets} = 64</li>
 *   <li>{@code maxRecordBytes} = 1 MiB (1 048 576)</li>
 * </ul>
 *
 * <p><b>One limit on the whole record.</b> The per-field limits bound each value; {@link #maxRecordBytes()} bounds
 * what is actually stored: the event's record line in UTF-8, escapes included ({@code \u0001} costs 6 bytes), with
 * room for the record envelope and for the fields the log fills in (occurredAt, trace/span/request id from the
 * MDC). It is checked when the event is built, so an event that would make a line some store or reader cannot take
 * is refused on the caller's thread, with a message naming the largest field, instead of being acknowledged and
 * then bricking or stalling the log. It can be raised up to {@value #MAX_RECORD_BYTES} bytes, a size every shipped
 * store and reader takes with its default settings (see {@link #MAX_RECORD_BYTES}).
 *
 * <p>Immutable and thread-safe. Character rules (allowed action, target-type and attribute-name syntax,
 * well-formed UTF-16, no U+0000, {@code occurredAt} within years 1000-9999) are not configurable.
 */
public final class AuditLimits {

    /**
     * The highest {@link #maxRecordBytes()} may be set: 4 MiB. Every shipped store and reader takes a line this
     * long with its default settings: the file reader refuses lines over 16 MiB; MariaDB's default
     * {@code max_allowed_packet} is 16 MiB, and the driver's text protocol can escape a JSON line to twice its size
     * (a {@code \"} becomes {@code \\\"}) next to the row's other columns; PostgreSQL and H2 take far more; the
     * JSON readers accept strings up to this size.
     */
    public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

    /**
     * The highest {@link #maxAttributeDepth()} may be set: 29. The JSON readers accept documents nested at most
     * 32 deep, and a record line nests its event and the event's attributes 3 deep before the first attribute
     * value.
     */
    public static final int MAX_ATTRIBUTE_DEPTH = 29;

    /** The JSON nesting limit of every reader (see {@link #MAX_ATTRIBUTE_DEPTH}). */
    public static final int JSON_NESTING_LIMIT = 32;

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
    private final int maxTargets;
    private final int maxRecordBytes;

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
        this.maxTargets = b.maxTargets;
        this.maxRecordBytes = b.maxRecordBytes;
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
        b.maxTargets = maxTargets;
        b.maxRecordBytes = maxRecordBytes;
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

    /** Maximum number of targets of one event. Default 64. */
    public int maxTargets() {
        return maxTargets;
    }

    /**
     * Maximum bytes of the stored record line of one event (see the class documentation). Default 1 MiB, at most
     * {@value #MAX_RECORD_BYTES}.
     */
    public int maxRecordBytes() {
        return maxRecordBytes;
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
                && maxAttributeNameLength == other.maxAttributeNameLength
                && maxTargets == other.maxTargets
                && maxRecordBytes == other.maxRecordBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxIdLength, maxNameLength, maxTextLength, maxUserAgentLength, maxAttributes, maxAttributeDepth, maxAttributeElements, maxAttributeStringLength, maxAttributeNameLength, maxTargets, maxRecordBytes);
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
                + ", maxTargets=" + maxTargets
                + ", maxRecordBytes=" + maxRecordBytes
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
        private int maxTargets = 64;
        private int maxRecordBytes = 1024 * 1024;

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
         * @throws IllegalArgumentException if {@code value} is not between 1 and {@value #MAX_ATTRIBUTE_DEPTH}
         */
        public Builder maxAttributeDepth(int value) {
            positive("maxAttributeDepth", value);
            if (value > MAX_ATTRIBUTE_DEPTH) {
                throw new IllegalArgumentException("maxAttributeDepth must be at most " + MAX_ATTRIBUTE_DEPTH
                        + " (the JSON readers' nesting limit is " + JSON_NESTING_LIMIT + " and a record nests its"
                        + " attributes 3 deep), was " + value);
            }
            this.maxAttributeDepth = value;
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

        /**
         * Sets {@link AuditLimits#maxTargets()}.
         *
         * @throws IllegalArgumentException if {@code value} is not positive
         */
        public Builder maxTargets(int value) {
            this.maxTargets = positive("maxTargets", value);
            return this;
        }

        /**
         * Sets {@link AuditLimits#maxRecordBytes()}.
         *
         * @throws IllegalArgumentException if {@code value} is not between 16384 and {@value #MAX_RECORD_BYTES}
         */
        public Builder maxRecordBytes(int value) {
            if (value < 16384 || value > MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("maxRecordBytes must be between 16384 and " + MAX_RECORD_BYTES
                        + " (the largest record every shipped store and reader takes), was " + value);
            }
            this.maxRecordBytes = value;
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
