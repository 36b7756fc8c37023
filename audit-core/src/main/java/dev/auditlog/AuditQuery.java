package dev.auditlog;

import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.LogIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A filter over the event records of one log, for an {@link AuditQueryable} store: which records, and which page
 * of them. Results are ordered by sequence number ascending and paged with keyset pagination: a page ends with an
 * opaque {@link AuditPage#nextPageToken() token} that names the last sequence returned, so paging is stable under
 * concurrent inserts (a record is never skipped or returned twice).
 *
 * <p>All filters are exact matches and combine with AND; {@link Builder#actionPrefix(String)} matches action names
 * starting with a prefix; {@link Builder#from(Instant)} (inclusive) and {@link Builder#to(Instant)} (exclusive)
 * bound the event's {@code occurredAt}. Only records of type {@code event} match.
 *
 * <p>A page token is bound to the filter that produced it: building a query with a token issued for other filters
 * fails. (The binding prevents mistakes; it is not a secret: a token only names a position.) The page size is not
 * part of the binding and may change between pages.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuditQuery {

    /** The default page size. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    /** The largest page size a query may ask for. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final Pattern ACTION_PREFIX = Pattern.compile("[a-z0-9_.]{1,128}");
    private static final String TOKEN_VERSION = "v1";

    private final String logId;
    private final String actorId;
    private final String action;
    private final String actionPrefix;
    private final String targetType;
    private final String targetId;
    private final OutcomeStatus outcome;
    private final Category category;
    private final String tenantId;
    private final Instant from;
    private final Instant to;
    private final int pageSize;
    private final String pageToken;
    private final long afterSequence;
    private final String chainId;
    private final String afterChain;
    private final String fingerprint;

    private AuditQuery(Builder b) {
        this.logId = b.logId;
        this.chainId = b.chainId;
        this.actorId = b.actorId;
        this.action = b.action;
        this.actionPrefix = b.actionPrefix;
        this.targetType = b.targetType;
        this.targetId = b.targetId;
        this.outcome = b.outcome;
        this.category = b.category;
        this.tenantId = b.tenantId;
        this.from = b.from;
        this.to = b.to;
        this.pageSize = b.pageSize;
        this.pageToken = b.pageToken;
        this.fingerprint = fingerprint();
        String[] after = pageToken == null ? null : decode(pageToken);
        this.afterSequence = after == null ? -1 : Long.parseLong(after[0]);
        this.afterChain = after == null || after[1].isEmpty() ? null : after[1];
    }

    /** A builder; {@link Builder#logId(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder with this query's filters and page size, without its page token. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.logId = logId;
        b.chainId = chainId;
        b.actorId = actorId;
        b.action = action;
        b.actionPrefix = actionPrefix;
        b.targetType = targetType;
        b.targetId = targetId;
        b.outcome = outcome;
        b.category = category;
        b.tenantId = tenantId;
        b.from = from;
        b.to = to;
        b.pageSize = pageSize;
        return b;
    }

    /** The log to search. */
    public String logId() {
        return logId;
    }

    /** Only events whose actor has this id. */
    public Optional<String> actorId() {
        return Optional.ofNullable(actorId);
    }

    /** Only events with exactly this action. */
    public Optional<String> action() {
        return Optional.ofNullable(action);
    }

    /** Only events whose action starts with this prefix. */
    public Optional<String> actionPrefix() {
        return Optional.ofNullable(actionPrefix);
    }

    /** Only events whose first target has this type. */
    public Optional<String> targetType() {
        return Optional.ofNullable(targetType);
    }

    /** Only events whose first target has this id (together with {@link #targetType()}). */
    public Optional<String> targetId() {
        return Optional.ofNullable(targetId);
    }

    /** Only events with this outcome status. */
    public Optional<OutcomeStatus> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** Only events of this category. */
    public Optional<Category> category() {
        return Optional.ofNullable(category);
    }

    /** Only events of this tenant. */
    public Optional<String> tenantId() {
        return Optional.ofNullable(tenantId);
    }

    /** Only events that occurred at or after this instant. */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** Only events that occurred before this instant. */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** The largest number of records a page holds, 1 to {@value #MAX_PAGE_SIZE}. */
    public int pageSize() {
        return pageSize;
    }

    /** The token this query continues from, if any. */
    public Optional<String> pageToken() {
        return Optional.ofNullable(pageToken);
    }

    /**
     * The one chain of the log to search ({@code <log id>@<instance id>}), or empty to search the whole log: every
     * chain its instances wrote.
     */
    public Optional<String> chainId() {
        return Optional.ofNullable(chainId);
    }

    /**
     * The chain of the last record of the previous page, for a store that returns a whole log's records in chain id,
     * then sequence order: this page starts after record {@link #afterSequence()} of this chain. Empty on the first
     * page, or when the token was made with {@link #tokenAfter(long)}.
     */
    public Optional<String> afterChain() {
        return Optional.ofNullable(afterChain);
    }

    /**
     * The opaque token for the page after one that ended with record {@code lastSequence} of chain {@code chainId},
     * bound to this filter.
     */
    public String tokenAfter(String chainId, long lastSequence) {
        ChainIds.check(chainId);
        if (lastSequence < 0) {
            throw new IllegalArgumentException("lastSequence must be >= 0, was " + lastSequence);
        }
        String raw = TOKEN_VERSION + ":" + lastSequence + ":" + chainId + ":" + fingerprint;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The sequence number after which this page starts: the last sequence of the previous page, or -1 for the
     * first page. Implementations return records with a greater sequence number only.
     */
    public long afterSequence() {
        return afterSequence;
    }

    /** The opaque token for the page after one that ended with record {@code lastSequence}, bound to this filter. */
    public String tokenAfter(long lastSequence) {
        if (lastSequence < 0) {
            throw new IllegalArgumentException("lastSequence must be >= 0, was " + lastSequence);
        }
        String raw = TOKEN_VERSION + ":" + lastSequence + "::" + fingerprint;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The filter as attribute values (names in snake case, only the filters that are set, plus {@code page_size}
     * and {@code continued}), for the audit record a store writes about each query.
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log_id", logId);
        putIf(m, "chain_id", chainId);
        putIf(m, "actor_id", actorId);
        putIf(m, "action", action);
        putIf(m, "action_prefix", actionPrefix);
        putIf(m, "target_type", targetType);
        putIf(m, "target_id", targetId);
        putIf(m, "outcome", outcome == null ? null : outcome.name());
        putIf(m, "category", category == null ? null : category.name());
        putIf(m, "tenant_id", tenantId);
        putIf(m, "from", from == null ? null : from.toString());
        putIf(m, "to", to == null ? null : to.toString());
        m.put("page_size", (long) pageSize);
        m.put("continued", pageToken != null);
        return m;
    }

    private static void putIf(Map<String, Object> m, String name, String value) {
        if (value != null) {
            m.put(name, value);
        }
    }

    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        field(sb, "log", logId);
        field(sb, "chain", chainId);
        field(sb, "actor", actorId);
        field(sb, "action", action);
        field(sb, "prefix", actionPrefix);
        field(sb, "ttype", targetType);
        field(sb, "tid", targetId);
        field(sb, "outcome", outcome == null ? null : outcome.name());
        field(sb, "category", category == null ? null : category.name());
        field(sb, "tenant", tenantId);
        field(sb, "from", from == null ? null : from.toString());
        field(sb, "to", to == null ? null : to.toString());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void field(StringBuilder sb, String name, String value) {
        // Length-prefixed, so no choice of values can make two different filters collide textually.
        sb.append(name).append('=');
        if (value == null) {
            sb.append('-');
        } else {
            sb.append(value.length()).append(':').append(value);
        }
        sb.append(';');
    }

    /** The token's sequence and chain (empty when none). */
    private String[] decode(String token) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pageToken must be a token returned by a previous page, was "
                    + shorten(token) + " (not base64url)");
        }
        String[] parts = raw.split(":", -1);
        if (parts.length != 4 || !parts[0].equals(TOKEN_VERSION) || !parts[1].matches("[0-9]{1,18}")
                || !(parts[2].isEmpty() || ChainIds.isValid(parts[2]))) {
            throw new IllegalArgumentException("pageToken must be a token returned by a previous page, was "
                    + shorten(token) + " (unknown layout)");
        }
        if (!parts[3].equals(fingerprint)) {
            throw new IllegalArgumentException("pageToken was issued for a query with other filters: a token "
                    + "only continues the query that returned it; start again without a token");
        }
        return new String[] {parts[1], parts[2]};
    }

    private static String shorten(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : t.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('"').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditQuery q && q.fingerprint.equals(fingerprint) && q.pageSize == pageSize
                && Objects.equals(q.pageToken, pageToken);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint, pageSize, pageToken);
    }

    @Override
    public String toString() {
        return "AuditQuery" + describe();
    }

    /**
     * Builds an {@link AuditQuery}. Setters reject null with a {@link NullPointerException} naming the argument and
     * malformed values with an {@link IllegalArgumentException} naming the field, the rule and the value; rules
     * that involve several fields are checked by {@link #build()}. Not thread-safe.
     */
    public static final class Builder {
        private String logId;
        private String chainId;
        private String actorId;
        private String action;
        private String actionPrefix;
        private String targetType;
        private String targetId;
        private OutcomeStatus outcome;
        private Category category;
        private String tenantId;
        private Instant from;
        private Instant to;
        private int pageSize = DEFAULT_PAGE_SIZE;
        private String pageToken;

        private Builder() {
        }

        /**
         * Sets the required log id, matching {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}: the query searches every chain
         * of the log unless {@link #chainId(String)} narrows it to one.
         */
        public Builder logId(String logId) {
            this.logId = LogIds.check(logId);
            return this;
        }

        /**
         * Only the records of this chain of the log ({@code <log id>@<instance id>}, see
         * {@link dev.auditlog.spi.ChainIds}); it must belong to the {@link #logId(String) log}.
         */
        public Builder chainId(String chainId) {
            this.chainId = ChainIds.check(chainId);
            return this;
        }

        /** Only events whose actor has this id (non-empty). */
        public Builder actorId(String actorId) {
            this.actorId = text("actorId", actorId);
            return this;
        }

        /** Only events with exactly this action (see {@link AuditEvent#ACTION_REGEX}); excludes actionPrefix. */
        public Builder action(String action) {
            Objects.requireNonNull(action, "action");
            if (action.length() > AuditEvent.MAX_ACTION_LENGTH || !action.matches(AuditEvent.ACTION_REGEX)) {
                throw new IllegalArgumentException("action must match " + AuditEvent.ACTION_REGEX + " and be 1-"
                        + AuditEvent.MAX_ACTION_LENGTH + " chars, was " + shorten(action));
            }
            this.action = action;
            return this;
        }

        /**
         * Only events whose action starts with this prefix, for example {@code "authn."}; 1-128 chars of
         * {@code [a-z0-9_.]}. Excludes {@link #action(String)}.
         */
        public Builder actionPrefix(String actionPrefix) {
            Objects.requireNonNull(actionPrefix, "actionPrefix");
            if (!ACTION_PREFIX.matcher(actionPrefix).matches()) {
                throw new IllegalArgumentException("actionPrefix must match [a-z0-9_.]{1,128}, was "
                        + shorten(actionPrefix));
            }
            this.actionPrefix = actionPrefix;
            return this;
        }

        /** Only events whose first target has this type (and, when given, id). */
        public Builder target(String type, String id) {
            this.targetType = text("targetType", type);
            this.targetId = text("targetId", id);
            return this;
        }

        /** Only events whose first target has this type, whatever its id. */
        public Builder targetType(String type) {
            this.targetType = text("targetType", type);
            this.targetId = null;
            return this;
        }

        /** Only events with this outcome status. */
        public Builder outcome(OutcomeStatus outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** Only events of this category. */
        public Builder category(Category category) {
            this.category = Objects.requireNonNull(category, "category");
            return this;
        }

        /** Only events of this tenant. */
        public Builder tenantId(String tenantId) {
            this.tenantId = text("tenantId", tenantId);
            return this;
        }

        /** Only events that occurred at or after {@code from} (inclusive). */
        public Builder from(Instant from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /** Only events that occurred before {@code to} (exclusive). */
        public Builder to(Instant to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /** The largest number of records per page: 1 to {@value AuditQuery#MAX_PAGE_SIZE}, default 100. */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_PAGE_SIZE + ", was "
                        + pageSize);
            }
            this.pageSize = pageSize;
            return this;
        }

        /** Continues from a {@link AuditPage#nextPageToken()} of the same query; checked by {@link #build()}. */
        public Builder pageToken(String pageToken) {
            this.pageToken = Objects.requireNonNull(pageToken, "pageToken");
            return this;
        }

        /**
         * Validates and returns the query.
         *
         * @throws IllegalStateException    when logId is missing
         * @throws IllegalArgumentException when action and actionPrefix are both set, {@code from} is not before
         *                                  {@code to}, or the page token is malformed or was issued for other filters
         */
        public AuditQuery build() {
            if (logId == null) {
                throw new IllegalStateException("logId is required");
            }
            if (chainId != null && !ChainIds.belongsTo(chainId, logId)) {
                throw new IllegalArgumentException("chainId must be a chain of log " + logId + " (" + logId
                        + " or " + logId + "@<instance id>), was " + chainId);
            }
            if (action != null && actionPrefix != null) {
                throw new IllegalArgumentException("action and actionPrefix are mutually exclusive, were "
                        + shorten(action) + " and " + shorten(actionPrefix));
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to, was from=" + from + ", to=" + to);
            }
            return new AuditQuery(this);
        }

        private static String text(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(field + " must not be empty, was \"\"");
            }
            return value;
        }
    }
}
