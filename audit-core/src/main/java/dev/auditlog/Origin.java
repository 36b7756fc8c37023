package dev.auditlog;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an audited request came from: client IP, user agent, channel and the host that handled it.
 *
 * <p>Immutable; all fields are optional. The IP must be an IPv4 dotted-quad or IPv6 literal (optionally with
 * {@code %zone}); it is validated textually, never resolved, and kept exactly as given. Strings are non-empty,
 * well-formed UTF-16; their lengths are checked against {@link AuditLimits} when the {@link AuditEvent} is
 * built.
 */
public final class Origin {

    private final String ip;
    private final String userAgent;
    private final Channel channel;
    private final String host;

    private Origin(Builder b) {
        this.ip = b.ip;
        this.userAgent = b.userAgent;
        this.channel = b.channel;
        this.host = b.host;
    }

    /** Returns an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder initialised with this origin's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ip = ip;
        b.userAgent = userAgent;
        b.channel = channel;
        b.host = host;
        return b;
    }

    /** The client IP literal, exactly as given. */
    public Optional<String> ip() {
        return Optional.ofNullable(ip);
    }

    /** The client's user agent string. */
    public Optional<String> userAgent() {
        return Optional.ofNullable(userAgent);
    }

    /** The interface the request arrived through. */
    public Optional<Channel> channel() {
        return Optional.ofNullable(channel);
    }

    /** The host (server, pod, node) that handled the request. */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    // Without an Optional, for the checks every event's build makes (RecordSize, AuditEvent.Builder.build).
    String ipOrNull() {
        return ip;
    }

    String userAgentOrNull() {
        return userAgent;
    }

    String hostOrNull() {
        return host;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Origin)) {
            return false;
        }
        Origin other = (Origin) o;
        return Objects.equals(ip, other.ip) && Objects.equals(userAgent, other.userAgent)
                && channel == other.channel && Objects.equals(host, other.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ip, userAgent, channel, host);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Origin{");
        String sep = "";
        if (ip != null) {
            sb.append("ip=").append(ip);
            sep = ", ";
        }
        if (userAgent != null) {
            sb.append(sep).append("userAgent=\"").append(Validation.escape(userAgent)).append('"');
            sep = ", ";
        }
        if (channel != null) {
            sb.append(sep).append("channel=").append(channel);
            sep = ", ";
        }
        if (host != null) {
            sb.append(sep).append("host=\"").append(Validation.escape(host)).append('"');
        }
        return sb.append('}').toString();
    }

    /** Builds an {@link Origin}. Setters reject null and malformed values immediately. Not thread-safe. */
    public static final class Builder {
        private String ip;
        private String userAgent;
        private Channel channel;
        private String host;

        private Builder() {
        }

        /**
         * Sets the client IP literal; validated without any DNS lookup.
         *
         * @throws IllegalArgumentException if it is not a strict IPv4 or IPv6 literal
         */
        public Builder ip(String ip) {
            Validation.notNull(ip, "ip");
            if (!IpAddresses.isValid(ip)) {
                Validation.text("origin.ip", ip);
                throw new IllegalArgumentException("origin.ip must " + IpAddresses.RULE + ", was "
                        + Validation.describe(ip));
            }
            this.ip = ip;
            return this;
        }

        /** Sets the user agent; non-empty, well-formed UTF-16. */
        public Builder userAgent(String userAgent) {
            this.userAgent = Validation.text("origin.userAgent", Validation.notNull(userAgent, "userAgent"));
            return this;
        }

        /** Sets the channel. */
        public Builder channel(Channel channel) {
            this.channel = Validation.notNull(channel, "channel");
            return this;
        }

        /** Sets the handling host; non-empty, well-formed UTF-16. */
        public Builder host(String host) {
            this.host = Validation.text("origin.host", Validation.notNull(host, "host"));
            return this;
        }

        /** Returns the origin; never null. An origin with no fields set is allowed. */
        public Origin build() {
            return new Origin(this);
        }
    }
}
