package dev.auditlog.jdbc;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.LogPruner;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.RecordRefusedException;
import dev.auditlog.spi.SealedRecord;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link AuditSink} that stores sealed records in a database table through JDBC: PostgreSQL, MariaDB or H2.
 *
 * <ul>
 *   <li><b>Durability</b>: each {@link #write} is one transaction (JDBC batching, then commit; on PostgreSQL with
 *       pgjdbc, batches of 16 or more records, or 500 with {@code reWriteBatchedInserts=true}, go in with
 *       {@code COPY ... FROM STDIN} instead); when it returns, the
 *       records are committed.</li>
 *   <li><b>Append-only</b>: the schema installs triggers that reject UPDATE and DELETE (and TRUNCATE on PostgreSQL);
 *       grant the writer INSERT and SELECT only. See {@code docs/DATABASE.md}.</li>
 *   <li><b>Many writers</b>: many logs, and many instances of each log, share the tables; each writes its own chain
 *       ({@code <log id>@<instance id>}). One writer per chain is enforced: {@link #open} takes the chain's lease,
 *       a session lock the database drops when the writer dies (PostgreSQL advisory lock, MariaDB
 *       {@code GET_LOCK}, an H2 row lock), on a connection of its own, and registers the chain in
 *       {@code p_chains}.</li>
 *   <li><b>Redelivery</b>: a record already stored with identical bytes is a no-op; different bytes are rejected with
 *       an {@link IOException} (possible tampering), a gap too.</li>
 *   <li><b>Connections</b>: the library does not pool. The sink holds one connection from the {@link DataSource}
 *       (or {@link java.sql.DriverManager}) while open, and replaces it after a failure.</li>
 * </ul>
 *
 * <pre>{@code
 * AuditLog log = AuditLog.builder().logId("orders")
 *         .sink(JdbcAuditSink.builder(dataSource).tablePrefix("audit_").build())
 *         .build();
 * }</pre>
 *
 * Spec string for {@link dev.auditlog.AuditLog.Builder#sink(String)}: the JDBC URL, e.g.
 * {@code jdbc:postgresql://db/app?user=audit_writer} or {@code jdbc:h2:file:./audit/db}.
 */
public final class JdbcAuditSink implements AuditSink {
    private static final int EXECUTE_EVERY = 1000;
    /**
     * The smallest batch sent with COPY: COPY takes two round trips (start, then data and end), an INSERT one, so
     * small batches go faster as INSERTs.
     */
    static final int COPY_FROM = 16;
    /**
     * The same with pgjdbc's {@code reWriteBatchedInserts=true}: the driver then sends a batch as multi-row INSERTs,
     * which beat COPY up to a few hundred rows (hand-written, batch 100: 1.29x COPY; batch 1000: 0.91x; BENCHMARKS.md).
     */
    static final int COPY_FROM_REWRITTEN = 500;

    private final ConnectionSource source;
    private final Dialect dialectOverride;
    private final String prefix;
    private final boolean createSchema;
    private final String name;

    private Dialect dialect;
    private Connection connection;
    private ChainLease lease;
    /** The smallest batch that goes in through {@link PgCopy} on this connection; MAX_VALUE when it takes no COPY. */
    private int copyFrom = Integer.MAX_VALUE;
    /** The INSERT, prepared once per connection (with server-side prepares, preparing costs a round trip). */
    private PreparedStatement insertStatement;
    private String logId;
    private long nextSequence;
    private boolean resync;
    private volatile boolean closed;

    private JdbcAuditSink(Builder b) {
        this.source = b.source;
        this.dialectOverride = b.dialect;
        this.prefix = b.prefix;
        this.createSchema = b.createSchema;
        this.name = source.name() + "#" + JdbcSchema.recordsTable(prefix);
    }

    /** A builder over a data source (typically the application's pool). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(ConnectionSource.of(dataSource));
    }

    /** A builder that connects with {@link java.sql.DriverManager#getConnection(String)}. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(ConnectionSource.of(jdbcUrl));
    }

    @Override
    public String name() {
        return name;
    }

    /** The dialect in use; known once the sink is open. */
    public Optional<Dialect> dialect() {
        return Optional.ofNullable(dialect);
    }

    /** The table prefix. */
    public String tablePrefix() {
        return prefix;
    }

    /**
     * Takes the chain's lease, registers the chain, and returns the newest stored record's head.
     *
     * @throws dev.auditlog.spi.ChainLeaseException when another writer holds the chain (the message names it)
     */
    @Override
    public synchronized Optional<ChainHead> open(String logId) throws IOException {
        ChainIds.check(Objects.requireNonNull(logId, "chainId"));
        if (closed) {
            throw new IllegalStateException("JDBC sink " + name + " is closed");
        }
        if (lease != null) {
            throw new IllegalStateException("JDBC sink " + name + " is already open for chain " + lease.chainId());
        }
        try {
            Connection c = connection();
            probeInsert(c); // before the registry insert, so a writer without privileges is told so
            lease = ChainLease.acquire(source, dialect, prefix, logId, c);
            Optional<SealedRecord> last;
            try {
                last = lastRecord(c, logId);
            } catch (SQLException e) {
                throw new SQLException(brief(e).getMessage() + " — does " + JdbcSchema.recordsTable(prefix)
                        + " have the auditlog schema? Compare with 'auditlog schema --dialect "
                        + dialect.name().toLowerCase(java.util.Locale.ROOT) + "'", e.getSQLState(), e);
            }
            c.commit();
            this.logId = logId;
            this.nextSequence = last.map(r -> r.sequence() + 1).orElse(0L);
            this.resync = false;
            return last.map(r -> ChainHead.of(r.sequence(), r.chainHash()));
        } catch (SQLException | IOException | RuntimeException e) {
            discardConnection();
            if (lease != null) {
                lease.close();
                lease = null;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("opening JDBC sink " + name + " for chain " + logId + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Fails now, not at the first record, when this connection may not insert: a read-only user or replica, or a
     * read-only connection. Inserts no row: the privilege and read-only checks happen before any row is produced.
     */
    private void probeInsert(Connection c) throws SQLException {
        String table = JdbcSchema.recordsTable(prefix);
        try (Statement st = c.createStatement()) {
            st.executeUpdate(Rows.probeSql(prefix));
            String cp = JdbcSchema.checkpointsTable(prefix);
            st.executeUpdate("INSERT INTO " + cp + " (log_id, size, note) SELECT log_id, size, note FROM " + cp
                    + " WHERE 1 = 0");
            String chains = JdbcSchema.chainsTable(prefix);
            st.executeUpdate("INSERT INTO " + chains + " (chain_id, log_id, instance_id, holder) SELECT chain_id,"
                    + " log_id, instance_id, holder FROM " + chains + " WHERE 1 = 0");
            st.executeUpdate("UPDATE " + chains + " SET holder = holder WHERE 1 = 0");
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("this connection may not insert into " + table + ", its checkpoints table or"
                    + " its chain registry (" + brief(e).getMessage()
                    + "); the writer needs INSERT and SELECT (and UPDATE on the chain registry), see"
                    + " docs/DATABASE.md", e.getSQLState(), e);
        }
    }

    @Override
    public synchronized void write(List<SealedRecord> records) throws IOException {
        Objects.requireNonNull(records, "records");
        if (closed) {
            throw new IllegalStateException("JDBC sink " + name + " is closed: write rejected");
        }
        if (logId == null) {
            throw new IllegalStateException("JDBC sink " + name + " is not open: call open(logId) first");
        }
        if (records.isEmpty()) {
            return;
        }
        for (SealedRecord r : records) {
            if (!r.logId().equals(logId)) {
                throw new IOException("record " + r.sequence() + " of log " + r.logId() + " written to JDBC sink "
                        + name + " opened for log " + logId);
            }
        }
        try {
            Connection c = connection();
            if (resync) {
                if (lease == null || !lease.valid()) {
                    // the session that held the lease is gone (a database restart, a network cut): take it again
                    if (lease != null) {
                        lease.close();
                        lease = null;
                    }
                    lease = ChainLease.acquire(source, dialect, prefix, logId, c);
                }
                // The previous attempt failed somewhere: it may or may not have committed. Ask the database.
                nextSequence = lastRecord(c, logId).map(r -> r.sequence() + 1).orElse(0L);
                c.commit();
                resync = false;
            }
            int fresh = 0;
            if (records.get(0).sequence() < nextSequence) {
                fresh = compareRedelivered(c, records);
            }
            if (fresh == records.size()) {
                return;
            }
            long expected = nextSequence;
            for (int i = fresh; i < records.size(); i++) {
                long seq = records.get(i).sequence();
                if (seq != expected) {
                    throw new IOException("gap in log " + logId + " at JDBC sink " + name + ": expected record "
                            + expected + ", got " + seq);
                }
                expected++;
            }
            insert(c, records.subList(fresh, records.size()));
            nextSequence = expected;
        } catch (SQLException e) {
            resync = true;
            discardConnection();
            SQLException brief = brief(e);
            String message = "writing " + records.size() + " record(s) from " + records.get(0).sequence()
                    + " of log " + logId + " to JDBC sink " + name + " failed: " + brief.getMessage();
            if (refused(brief)) {
                if (records.size() == 1) {
                    throw new RecordRefusedException(records.get(0).sequence(), message, brief);
                }
                // Which record? One at a time (those before it are stored); a transient failure just passes.
                for (SealedRecord r : records) {
                    write(List.of(r));
                }
                return;
            }
            throw new IOException(message, brief);
        }
    }

    /**
     * Whether the database refused a row for its content rather than failing: SQLState class 22 (data exception,
     * e.g. PostgreSQL's invalid byte sequence) or 23 (integrity constraint, e.g. a duplicate event id or a CHECK
     * constraint), or a packet over MariaDB's max_allowed_packet. Retrying the same row fails the same way.
     */
    static boolean refused(SQLException e) {
        String state = e.getSQLState();
        String m = String.valueOf(e.getMessage());
        return state != null && (state.startsWith("22") || state.startsWith("23"))
                || m.contains("max_allowed_packet");
    }

    /**
     * Stores a refused record's exact line with every column derived from the event null ({@code event_id} null on
     * an event row marks it): the database can hold that, and the chain stays whole.
     */
    @Override
    public synchronized void writeUnindexed(SealedRecord record) throws IOException {
        if (closed) {
            throw new IllegalStateException("JDBC sink " + name + " is closed: write rejected");
        }
        if (logId == null || !record.logId().equals(logId)) {
            throw new IOException("record " + record.sequence() + " of log " + record.logId() + " is not for JDBC sink "
                    + name + " opened for log " + logId);
        }
        try {
            Connection c = connection();
            nextSequence = lastRecord(c, logId).map(r -> r.sequence() + 1).orElse(0L);
            c.commit();
            resync = false;
            if (record.sequence() != nextSequence) {
                throw new IOException("JDBC sink " + name + " is at record " + nextSequence + " of log " + logId
                        + ", not " + record.sequence());
            }
            try (PreparedStatement ps = c.prepareStatement(Rows.insertSql(prefix))) {
                commitWithCheckpoints(c, List.of(record), () -> {
                    Rows.bindUnindexed(ps, record, dialect);
                    ps.executeUpdate();
                }, () -> { });
            }
            nextSequence = record.sequence() + 1;
        } catch (SQLException e) {
            resync = true;
            discardConnection();
            throw new IOException("storing record " + record.sequence() + " of log " + logId + " unindexed in JDBC"
                    + " sink " + name + " failed: " + brief(e).getMessage(), brief(e));
        }
    }

    /**
     * The gist of a failure, without record contents: a batch failure's message can quote every row of the batch,
     * which must not end up in application logs (and can be megabytes long).
     */
    static SQLException brief(SQLException e) {
        SQLException root = e instanceof java.sql.BatchUpdateException && e.getNextException() != null
                ? e.getNextException() : e;
        String m = String.valueOf(root.getMessage());
        int cut = m.indexOf('\n');
        if (cut >= 0) {
            m = m.substring(0, cut);
        }
        if (root instanceof java.sql.BatchUpdateException || m.length() > 200) {
            m = (m.length() > 200 ? m.substring(0, 200) + "…" : m) + " (details withheld: they quote record contents)";
        }
        m = dev.auditlog.spi.Scrubber.scrub(m);
        return new SQLException(m + " [SQLState " + root.getSQLState() + ", " + root.getClass().getSimpleName() + "]",
                root.getSQLState(), root.getErrorCode());
    }

    /** Compares the records of the batch already stored; returns the index of the first one not stored yet. */
    private int compareRedelivered(Connection c, List<SealedRecord> records) throws SQLException, IOException {
        long first = records.get(0).sequence();
        int overlap = 0;
        while (overlap < records.size() && records.get(overlap).sequence() < nextSequence) {
            overlap++;
        }
        long last = records.get(overlap - 1).sequence();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, line FROM " + JdbcSchema.recordsTable(prefix)
                + " WHERE log_id = ? AND seq >= ? AND seq <= ? ORDER BY seq")) {
            ps.setString(1, logId);
            ps.setLong(2, first);
            ps.setLong(3, last);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < overlap; i++) {
                    SealedRecord r = records.get(i);
                    if (!rs.next() || rs.getLong(1) != r.sequence()) {
                        throw new IOException("record " + r.sequence() + " of log " + logId + " was redelivered but "
                                + "is missing from JDBC sink " + name + " although later records are stored "
                                + "(rows deleted?)");
                    }
                    if (!Arrays.equals(Rows.bytes(rs.getString(2)), r.line())) {
                        throw new IOException("record " + r.sequence() + " of log " + logId + " redelivered with "
                                + "different bytes than stored in JDBC sink " + name
                                + ": refusing to overwrite (tampering?)");
                    }
                }
            }
        } finally {
            c.commit();
        }
        return overlap;
    }

    /** Signed checkpoint notes also go to the checkpoints table, in the same transaction as their records. */
    private void insertCheckpoints(Connection c, List<SealedRecord> records) throws SQLException {
        PreparedStatement ps = null;
        try {
            for (SealedRecord r : records) {
                Optional<String> note = r.checkpointNote();
                if (note.isEmpty()) {
                    continue;
                }
                if (ps == null) {
                    ps = c.prepareStatement("INSERT INTO " + JdbcSchema.checkpointsTable(prefix)
                            + " (log_id, size, note) VALUES (?, ?, ?)");
                }
                ps.setString(1, r.logId());
                ps.setLong(2, r.sequence());
                ps.setString(3, note.get());
                ps.addBatch();
            }
            if (ps != null) {
                ps.executeBatch();
            }
        } finally {
            if (ps != null) {
                ps.close();
            }
        }
    }

    private void insert(Connection c, List<SealedRecord> records) throws SQLException, IOException {
        if (records.size() >= copyFrom) {
            commitWithCheckpoints(c, records, () -> PgCopy.insert(c, prefix, records), () -> { });
            return;
        }
        if (insertStatement == null) {
            insertStatement = c.prepareStatement(Rows.insertSql(prefix));
        }
        PreparedStatement ps = insertStatement;
        // the statement is kept: on failure nothing of this batch may go with the next
        commitWithCheckpoints(c, records, () -> {
            int pending = 0;
            for (SealedRecord r : records) {
                Rows.bind(ps, r, dialect);
                ps.addBatch();
                if (++pending == EXECUTE_EVERY) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }, ps::clearBatch);
    }

    /** Work that writes rows on the sink's connection. */
    @FunctionalInterface
    private interface RowWork {
        void run() throws SQLException, IOException;
    }

    /**
     * Runs {@code rows}, inserts the checkpoint rows of {@code records} and commits, all in one transaction; on any
     * failure runs {@code undo} and rolls back, best effort (the caller discards the connection on SQLException; on
     * IOException it stays usable).
     */
    private void commitWithCheckpoints(Connection c, List<SealedRecord> records, RowWork rows, RowWork undo)
            throws SQLException, IOException {
        boolean done = false;
        try {
            rows.run();
            insertCheckpoints(c, records);
            c.commit();
            done = true;
        } finally {
            if (!done) {
                try {
                    undo.run();
                    c.rollback();
                } catch (SQLException | IOException ignored) {
                    // the failure that got us here is the one reported
                }
            }
        }
    }

    private Optional<SealedRecord> lastRecord(Connection c, String logId) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, line FROM " + JdbcSchema.recordsTable(prefix)
                + " WHERE log_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, logId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long seq = rs.getLong(1);
                SealedRecord r;
                try {
                    r = SealedRecord.parse(Rows.bytes(rs.getString(2)));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the newest record (" + seq + ") of log " + logId + " in " + name
                            + " is malformed, cannot resume the chain: " + e.getMessage(), e);
                }
                if (r.sequence() != seq || !r.logId().equals(logId)) {
                    throw new IOException("row (" + logId + ", " + seq + ") in " + name + " holds record "
                            + r.sequence() + " of log " + r.logId() + ": the table was tampered with");
                }
                return Optional.of(r);
            }
        }
    }

    private Connection connection() throws SQLException, IOException {
        if (connection == null) {
            Connection c = source.get();
            try {
                Dialect d = source.dialect(c, dialectOverride);
                SchemaInstaller.ensure(c, d, prefix, createSchema, source.name());
                c.setAutoCommit(false);
                dialect = d;
                copyFrom = d != Dialect.POSTGRESQL || !copyAvailable(c) ? Integer.MAX_VALUE
                        : PgCopy.rewritesBatches(c) ? COPY_FROM_REWRITTEN : COPY_FROM;
                connection = c;
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return connection;
    }

    /** Whether {@link PgCopy} can use {@code c}; false when pgjdbc is not on the class path at all. */
    private static boolean copyAvailable(Connection c) {
        try {
            return PgCopy.available(c);
        } catch (LinkageError noPgjdbc) {
            return false;
        }
    }

    private void discardConnection() {
        Connection c = connection;
        connection = null;
        if (insertStatement != null) {
            try {
                insertStatement.close();
            } catch (SQLException ignored) {
                // the connection is released next, which closes it anyway
            }
            insertStatement = null;
        }
        ConnectionSource.release(c);
    }

    /** A reader over the same tables and connections (without an audit log for queries). */
    @Override
    public Optional<AuditReader> reader() {
        return Optional.of(readerBuilder().build());
    }

    /**
     * Retention: deletes a log's oldest rows under a signed retention statement, which the append-only triggers
     * allow only for rows a retention row covers; see {@code AuditLog.prune} and docs/DATABASE.md ("Retention").
     */
    @Override
    public Optional<LogPruner> pruner() {
        return Optional.of(new JdbcRetention(source, prefix, createSchema, dialectOverride));
    }

    /** A reader builder over the same tables and connections, to add {@code auditTo(log)} for queries. */
    public JdbcAuditReader.Builder readerBuilder() {
        return new JdbcAuditReader.Builder(source).tablePrefix(prefix).dialect(dialectOverride != null
                ? dialectOverride : dialect);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        discardConnection();
        if (lease != null) {
            lease.close();
        }
    }

    @Override
    public String toString() {
        return "JdbcAuditSink[" + name + (logId == null ? "" : ", log=" + logId) + "]";
    }

    /** Configures a {@link JdbcAuditSink}. Not thread-safe. */
    public static final class Builder {
        private final ConnectionSource source;
        private Dialect dialect;
        private String prefix = JdbcSchema.DEFAULT_PREFIX;
        private boolean createSchema = true;

        private Builder(ConnectionSource source) {
            this.source = source;
        }

        /** Overrides the dialect detected from {@link java.sql.DatabaseMetaData#getDatabaseProductName()}. */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** The table prefix, matching {@value JdbcSchema#PREFIX_REGEX}; default {@code audit_}. */
        public Builder tablePrefix(String prefix) {
            this.prefix = JdbcSchema.checkPrefix(prefix);
            return this;
        }

        /**
         * Whether {@link #open} installs or upgrades the schema (needs DDL privileges once; default true). When
         * false, open fails unless the owner role installed {@link JdbcSchema#ddl} beforehand.
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /** Returns the unopened sink; it connects on {@link #open}. */
        public JdbcAuditSink build() {
            return new JdbcAuditSink(this);
        }
    }
}
