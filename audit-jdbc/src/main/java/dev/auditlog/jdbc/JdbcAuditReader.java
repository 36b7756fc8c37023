package dev.auditlog.jdbc;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditPage;
import dev.auditlog.AuditQuery;
import dev.auditlog.AuditQueryable;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a JDBC sink's tables: streams a log's records in sequence order in constant memory ({@link AuditReader}; verify
 * a log by giving this reader to {@link dev.auditlog.integrity.LogVerifier}), and answers {@link AuditQuery queries}
 * ({@link AuditQueryable}).
 *
 * <p><b>Every query is audited.</b> {@link #query(AuditQuery, String)} records an {@code audit.log.read} event
 * (category {@link Category#AUDIT_LOG_ACCESS}, the reader as actor, the filter and the number of records returned
 * as attributes) into the {@link AuditLog} configured with {@link Builder#auditTo(AuditLog)} before it returns the
 * page; without one it throws {@link IllegalStateException}. Streaming with {@link #read} is for verification,
 * replication and export tools, which audit themselves.
 *
 * <p>Thread-safe: every call takes its own connection from the data source (or {@link java.sql.DriverManager}).
 * Streams hold theirs until closed.
 */
public final class JdbcAuditReader implements AuditReader, AuditQueryable {

    /** The action recorded for every query. */
    public static final String READ_ACTION = "audit.log.read";

    private final ConnectionSource source;
    private final Dialect dialectOverride;
    private final String prefix;
    private final int fetchSize;
    private final AuditLog auditLog;
    private volatile Dialect dialect;
    private volatile boolean closed;

    private JdbcAuditReader(Builder b) {
        this.source = b.source;
        this.dialectOverride = b.dialect;
        this.dialect = b.dialect;
        this.prefix = b.prefix;
        this.fetchSize = b.fetchSize;
        this.auditLog = b.auditLog;
    }

    /** A builder over a data source. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(ConnectionSource.of(dataSource));
    }

    /** A builder that connects with {@link java.sql.DriverManager#getConnection(String)}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(ConnectionSource.of(jdbcUrl));
    }

    private String table() {
        return JdbcSchema.recordsTable(prefix);
    }

    private Connection connect() throws SQLException, IOException {
        if (closed) {
            throw new IllegalStateException("JDBC reader over " + source.name() + " is closed");
        }
        Connection c = source.get();
        try {
            if (dialect == null) {
                dialect = source.dialect(c, dialectOverride);
            }
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            return c;
        } catch (SQLException | IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public Set<String> chainIds() throws IOException {
        try (Connection c = connect();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT log_id FROM " + table());
             ResultSet rs = ps.executeQuery()) {
            Set<String> ids = new TreeSet<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            c.commit();
            return ids;
        } catch (SQLException e) {
            throw new IOException("listing the chains in " + where() + " failed: " + JdbcAuditSink.brief(e).getMessage(),
                    e);
        }
    }

    /**
     * The chains of log {@code logId}: the rows of the chain registry ({@code p_chains}) with the newest checkpoint
     * note stored for each, and any chain with records that the registry lacks (a log written before the registry).
     */
    @Override
    public List<ChainInfo> chains(String logId) throws IOException {
        LogIds.check(logId);
        java.util.Map<String, Optional<String>> out = new java.util.TreeMap<>();
        try (Connection c = connect()) {
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT chain_id FROM "
                        + JdbcSchema.chainsTable(prefix) + " WHERE log_id = ?")) {
                    ps.setString(1, logId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), Optional.empty());
                        }
                    }
                }
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("42")) {
                    throw e;
                }
                c.rollback(); // a schema from before the registry (version 1): the stored chains are all there is
            }
            for (String id : chainIds()) {
                if (ChainIds.belongsTo(id, logId)) {
                    out.putIfAbsent(id, Optional.empty());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM " + JdbcSchema.checkpointsTable(prefix)
                    + " WHERE log_id = ? ORDER BY size DESC LIMIT 1")) {
                for (java.util.Map.Entry<String, Optional<String>> e : out.entrySet()) {
                    ps.setString(1, e.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            e.setValue(Optional.of(rs.getString(1)));
                        }
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException("listing the chains of log " + logId + " in " + where() + " failed: "
                    + JdbcAuditSink.brief(e).getMessage(), e);
        }
        return out.entrySet().stream().map(e -> new ChainInfo(e.getKey(), e.getValue())).toList();
    }

    /**
     * Streams the records of one chain from {@code fromSequence} on, in order, with a server-side cursor
     * ({@link Builder#fetchSize(int)} rows at a time). Close the stream. A row that cannot be parsed surfaces as an
     * {@link UncheckedIOException} naming the table, log and sequence.
     */
    @Override
    public Stream<SealedRecord> read(String logId, long fromSequence) throws IOException {
        Objects.requireNonNull(logId, "logId");
        return rows(logId, fromSequence).map(row -> {
            try {
                return SealedRecord.parse(Rows.bytes(row.line));
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException(location(logId, row.seq) + " is malformed: "
                        + e.getMessage(), e));
            }
        });
    }

    /**
     * Walks one log for {@link dev.auditlog.integrity.LogVerifier}: every row in sequence order; a row that cannot be
     * parsed is reported as unreadable, naming its table, log and sequence, and the walk goes on.
     */
    @Override
    public void scan(String logId, LogScan scan) throws IOException {
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(scan, "scan");
        retentionStart(logId, scan);
        try (Stream<Row> rows = rows(logId, 0)) {
            rows.forEach(row -> {
                SealedRecord r;
                try {
                    r = SealedRecord.parse(Rows.bytes(row.line));
                } catch (IllegalArgumentException e) {
                    scan.unreadable(row.seq, location(logId, row.seq), e.getMessage());
                    return;
                }
                scan.record(r, "");
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * For a log whose first row is past 0: the latest retention row's record, handed to the verifier as the point the
     * log starts from (docs/DATABASE.md, "Retention"). Without one, the verifier finds the gap itself.
     */
    private void retentionStart(String logId, LogScan scan) throws IOException {
        try (Connection c = connect()) {
            long min;
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM " + table() + " WHERE log_id = ?")) {
                ps.setString(1, logId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getObject(1) == null || rs.getLong(1) == 0) {
                        c.commit();
                        return;
                    }
                    min = rs.getLong(1);
                }
            }
            long first = -1;
            long statementSeq = -1;
            try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, statement_seq FROM "
                    + JdbcSchema.retentionTable(prefix) + " WHERE log_id = ? ORDER BY first_seq DESC")) {
                ps.setString(1, logId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        first = rs.getLong(1);
                        statementSeq = rs.getLong(2);
                    }
                }
            } catch (SQLException noTable) {
                c.rollback(); // a version 1 schema: no retention table, so no retention start
                return;
            }
            String where = JdbcSchema.retentionTable(prefix) + " (log_id=" + logId + ", first_seq=" + first + ")";
            if (first < 0) {
                c.commit();
                return;
            }
            String line = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT line FROM " + table()
                    + " WHERE log_id = ? AND seq = ?")) {
                ps.setString(1, logId);
                ps.setLong(2, statementSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        line = rs.getString(1);
                    }
                }
            }
            c.commit();
            if (line == null) {
                scan.storageMismatch(min, where, "the retention row names record " + statementSeq + ", which is not"
                        + " stored");
                return;
            }
            SealedRecord r;
            try {
                r = SealedRecord.parse(Rows.bytes(line));
                long resumeAt = scan.retentionStart(r.statementNote().orElseThrow(), r.statementRange().orElseThrow(),
                        where);
                if (resumeAt >= 0 && resumeAt != min) {
                    scan.storageMismatch(min, where, "the retention statement keeps the records from " + resumeAt
                            + ", but the first stored record is " + min);
                }
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                scan.storageMismatch(min, where, "record " + statementSeq + " is not a retention record: "
                        + e.getMessage());
            }
        } catch (SQLException e) {
            throw new IOException("reading log " + logId + " from " + where() + " failed: "
                    + JdbcAuditSink.brief(e).getMessage(), e);
        }
    }

    private String location(String logId, long seq) {
        return "row (log_id=" + logId + ", seq=" + seq + ") of " + where();
    }

    private String where() {
        return source.name() + "#" + table();
    }

    private record Row(long seq, String line) {
    }

    private Stream<Row> rows(String logId, long fromSequence) throws IOException {
        Connection c = null;
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            c = connect();
            ps = c.prepareStatement("SELECT seq, line FROM " + table() + " WHERE log_id = ? AND seq >= ? ORDER BY seq",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(fetchSize);
            ps.setString(1, logId);
            ps.setLong(2, Math.max(0, fromSequence));
            rs = ps.executeQuery();
        } catch (SQLException | IOException | RuntimeException e) {
            closeAll(rs, ps, c);
            if (e instanceof SQLException sql) {
                throw new IOException("reading log " + logId + " from " + where() + " failed: "
                        + JdbcAuditSink.brief(sql).getMessage(), e);
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        ResultSet results = rs;
        Spliterator<Row> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super Row> action) {
                try {
                    if (!results.next()) {
                        return false;
                    }
                    action.accept(new Row(results.getLong(1), results.getString(2)));
                    return true;
                } catch (SQLException e) {
                    throw new UncheckedIOException(new IOException("reading log " + logId + " from " + where()
                            + " failed: " + JdbcAuditSink.brief(e).getMessage(), e));
                }
            }
        };
        Connection conn = c;
        PreparedStatement stmt = ps;
        return StreamSupport.stream(split, false).onClose(() -> closeAll(results, stmt, conn));
    }

    private static void closeAll(ResultSet rs, PreparedStatement ps, Connection c) {
        try {
            if (rs != null) {
                rs.close();
            }
            if (ps != null) {
                ps.close();
            }
        } catch (SQLException ignored) {
            // closing a read: nothing to lose
        } finally {
            ConnectionSource.release(c);
        }
    }

    /**
     * Runs a query as a user: {@code query(query, Actor.user(readerIdentity))}.
     *
     * @throws IllegalStateException when no {@link Builder#auditTo(AuditLog) audit log} is configured: "queries
     *                               must be audited: configure auditTo(log)"
     */
    @Override
    public AuditPage query(AuditQuery query, String readerIdentity) {
        Objects.requireNonNull(readerIdentity, "readerIdentity");
        return query(query, Actor.user(readerIdentity));
    }

    /**
     * Returns one page of the event records matching {@code query}, in chain id then sequence order (a whole log: every chain; see {@link AuditQuery#chainId()}), after recording an
     * {@code audit.log.read} event with {@code reader} as actor. When the query fails, a failed
     * {@code audit.log.read} is recorded and an {@link AuditException} thrown.
     *
     * @throws IllegalStateException when no audit log is configured, or the reader is closed
     * @throws AuditException        when the database cannot be queried, or the audit log refuses the event
     */
    public AuditPage query(AuditQuery query, Actor reader) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(reader, "reader");
        if (auditLog == null) {
            throw new IllegalStateException("queries must be audited: configure auditTo(log) on the "
                    + "JdbcAuditReader builder");
        }
        AuditPage page;
        try {
            page = runQuery(query);
        } catch (SQLException | IOException e) {
            auditLog.record(readEvent(query, reader, Outcome.failure("query_failed"), 0, false));
            throw new AuditException("querying " + where() + " failed: " + (e instanceof SQLException sql
                    ? JdbcAuditSink.brief(sql).getMessage() : e.getMessage()), e);
        }
        auditLog.record(readEvent(query, reader, Outcome.success(), page.records().size(),
                page.nextPageToken().isPresent()));
        return page;
    }

    private static AuditEvent readEvent(AuditQuery q, Actor reader, Outcome outcome, int rows, boolean more) {
        return AuditEvent.builder()
                .action(READ_ACTION)
                .category(Category.AUDIT_LOG_ACCESS)
                .actor(reader)
                .target(Target.of("audit_log", q.logId()))
                .outcome(outcome)
                .attribute("query", q.describe())
                .attribute("rows", (long) rows)
                .attribute("more", more)
                .build();
    }

    /** SQL text and parameters of a query page; package-private for the plan tests. */
    record Sql(String text, List<Object> params) {
    }

    Sql sql(AuditQuery q) {
        StringBuilder sb = new StringBuilder("SELECT log_id, seq, line FROM ").append(table());
        List<Object> p = new ArrayList<>();
        if (q.chainId().isPresent()) {
            sb.append(" WHERE log_id = ?");
            p.add(q.chainId().get());
        } else {
            // the log's chains: the log id alone (a log from before instance ids) and every <log id>@<instance id>
            sb.append(" WHERE (log_id = ? OR log_id LIKE ? ESCAPE '!')");
            p.add(q.logId());
            p.add(q.logId().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "@%");
        }
        sb.append(" AND record_type = 'event'");
        q.actorId().ifPresent(v -> {
            sb.append(" AND actor_id = ?");
            p.add(v);
        });
        q.action().ifPresent(v -> {
            sb.append(" AND action = ?");
            p.add(v);
        });
        q.actionPrefix().ifPresent(v -> {
            sb.append(" AND action LIKE ? ESCAPE '!'");
            p.add(v.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        });
        q.targetType().ifPresent(v -> {
            sb.append(" AND target_type = ?");
            p.add(v);
        });
        q.targetId().ifPresent(v -> {
            sb.append(" AND target_id = ?");
            p.add(v);
        });
        q.outcome().ifPresent(v -> {
            sb.append(" AND outcome = ?");
            p.add(v.name());
        });
        q.category().ifPresent(v -> {
            sb.append(" AND category = ?");
            p.add(v.name());
        });
        q.tenantId().ifPresent(v -> {
            sb.append(" AND tenant_id = ?");
            p.add(v);
        });
        q.from().ifPresent(v -> {
            sb.append(" AND occurred_at >= ?");
            p.add(v);
        });
        q.to().ifPresent(v -> {
            sb.append(" AND occurred_at < ?");
            p.add(v);
        });
        if (q.afterChain().isPresent()) {
            sb.append(" AND (log_id > ? OR (log_id = ? AND seq > ?))");
            p.add(q.afterChain().get());
            p.add(q.afterChain().get());
            p.add(q.afterSequence());
        } else if (q.afterSequence() >= 0) {
            sb.append(" AND seq > ?");
            p.add(q.afterSequence());
        }
        sb.append(" ORDER BY log_id, seq LIMIT ").append(q.pageSize() + 1);
        return new Sql(sb.toString(), p);
    }

    void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            if (v instanceof Instant t) {
                Rows.setTime(ps, i + 1, t, dialect);
            } else if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }

    private AuditPage runQuery(AuditQuery q) throws SQLException, IOException {
        try (Connection c = connect()) {
            Sql sql = sql(q);
            List<SealedRecord> records = new ArrayList<>();
            boolean more = false;
            long last = -1;
            String lastChain = null;
            try (PreparedStatement ps = c.prepareStatement(sql.text())) {
                bind(ps, sql.params());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (records.size() == q.pageSize()) {
                            more = true;
                            break;
                        }
                        String chain = rs.getString(1);
                        long seq = rs.getLong(2);
                        try {
                            records.add(SealedRecord.parse(Rows.bytes(rs.getString(3))));
                        } catch (IllegalArgumentException e) {
                            throw new IOException(location(chain, seq) + " is malformed: " + e.getMessage(), e);
                        }
                        last = seq;
                        lastChain = chain;
                    }
                }
            } finally {
                c.rollback();
            }
            return new AuditPage(records, more ? Optional.of(q.tokenAfter(lastChain, last)) : Optional.empty());
        }
    }

    /** Marks the reader closed; streams already returned stay usable until closed themselves. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "JdbcAuditReader[" + where() + (auditLog == null ? "" : ", auditTo=" + auditLog.logId()) + "]";
    }

    /** Configures a {@link JdbcAuditReader}. Not thread-safe. */
    public static final class Builder {
        private final ConnectionSource source;
        private Dialect dialect;
        private String prefix = JdbcSchema.DEFAULT_PREFIX;
        private int fetchSize = 500;
        private AuditLog auditLog;

        Builder(ConnectionSource source) {
            this.source = source;
        }

        /** Overrides the dialect detected from the database product name. */
        public Builder dialect(Dialect dialect) {
            this.dialect = dialect;
            return this;
        }

        /** The table prefix, matching {@value JdbcSchema#PREFIX_REGEX}; default {@code audit_}. */
        public Builder tablePrefix(String prefix) {
            this.prefix = JdbcSchema.checkPrefix(prefix);
            return this;
        }

        /** Rows fetched per round trip when streaming, 1 to 100 000; default 500. */
        public Builder fetchSize(int fetchSize) {
            if (fetchSize < 1 || fetchSize > 100_000) {
                throw new IllegalArgumentException("fetchSize must be between 1 and 100000, was " + fetchSize);
            }
            this.fetchSize = fetchSize;
            return this;
        }

        /** The log every {@link JdbcAuditReader#query query} is recorded in; required for queries. */
        public Builder auditTo(AuditLog log) {
            this.auditLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /** Returns the reader; it connects on first use. */
        public JdbcAuditReader build() {
            return new JdbcAuditReader(this);
        }
    }
}
