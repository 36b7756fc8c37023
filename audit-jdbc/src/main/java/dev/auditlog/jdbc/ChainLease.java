package dev.auditlog.jdbc;

import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainLeaseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One writer per chain in a database: the chain's lease, held on a connection of its own for as long as the sink is
 * open, and the chain's row in the chain registry ({@code p_chains}). The lease is a session lock, which the
 * database drops when the session ends, so a writer killed with {@code kill -9} cannot keep it:
 * <ul>
 *   <li>PostgreSQL: {@code pg_try_advisory_lock} on a key derived from the table prefix and chain id; the session
 *       asks for TCP keepalives so a holder whose host vanished is dropped within about half a minute;</li>
 *   <li>MariaDB: {@code GET_LOCK(name, 0)};</li>
 *   <li>H2 (no advisory locks): a row lock ({@code SELECT ... FOR UPDATE}) on the chain's row of
 *       {@code p_chain_leases}, held by a transaction that stays open.</li>
 * </ul>
 * The holder writes who it is into the registry row, so the next writer's error names it.
 */
final class ChainLease implements AutoCloseable {
    private final Connection connection;
    private final String chainId;

    private ChainLease(Connection connection, String chainId) {
        this.connection = connection;
        this.chainId = chainId;
    }

    /**
     * Registers the chain and takes its lease on a new connection from {@code source}.
     *
     * @param main the sink's connection (auto-commit off), for the registry row
     * @throws ChainLeaseException when another session holds the lease
     */
    static ChainLease acquire(ConnectionSource source, Dialect dialect, String prefix, String chainId, Connection main)
            throws SQLException, IOException {
        register(main, dialect, prefix, chainId);
        Connection c = source.get();
        boolean ok = false;
        try {
            boolean got = tryLock(c, dialect, prefix, chainId);
            if (!got) {
                throw new ChainLeaseException(chainId, holder(main, prefix, chainId), mechanism(dialect) + " at "
                        + source.name());
            }
            try (PreparedStatement ps = main.prepareStatement("UPDATE " + JdbcSchema.chainsTable(prefix)
                    + " SET holder = ?, leased_at = CURRENT_TIMESTAMP WHERE chain_id = ?")) {
                ps.setString(1, ChainLeaseException.describeThisProcess(chainId, Instant.now()));
                ps.setString(2, chainId);
                ps.executeUpdate();
                main.commit();
            } catch (SQLException e) {
                main.rollback();
                throw e;
            }
            ok = true;
            return new ChainLease(c, chainId);
        } finally {
            if (!ok) {
                ConnectionSource.release(c);
            }
        }
    }

    /** Whether the lease's session is still alive (a lost session lost the lease). */
    boolean valid() {
        try {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    String chainId() {
        return chainId;
    }

    /** Ends the session, which releases the lock in every dialect. */
    @Override
    public void close() {
        ConnectionSource.release(connection);
    }

    private static void register(Connection main, Dialect dialect, String prefix, String chainId) throws SQLException {
        String chains = JdbcSchema.chainsTable(prefix);
        String cols = " (chain_id, log_id, instance_id, holder) VALUES (?, ?, ?, ?)";
        String sql = switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + chains + cols + " ON CONFLICT DO NOTHING";
            case MARIADB -> "INSERT IGNORE INTO " + chains + cols;
            case H2 -> "INSERT INTO " + chains + cols;
        };
        try {
            try (PreparedStatement ps = main.prepareStatement(sql)) {
                ps.setString(1, chainId);
                ps.setString(2, ChainIds.logOf(chainId));
                ps.setString(3, ChainIds.instanceOf(chainId).orElse(""));
                ps.setString(4, "nobody yet");
                ps.executeUpdate();
            } catch (SQLException e) {
                if (dialect != Dialect.H2 || e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
                main.rollback(); // already registered
            }
            if (dialect == Dialect.H2) {
                try (PreparedStatement ps = main.prepareStatement("INSERT INTO " + JdbcSchema.leasesTable(prefix)
                        + " (chain_id) VALUES (?)")) {
                    ps.setString(1, chainId);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                        throw e;
                    }
                    main.rollback();
                }
            }
            main.commit();
        } catch (SQLException e) {
            main.rollback();
            throw e;
        }
    }

    private static boolean tryLock(Connection c, Dialect dialect, String prefix, String chainId) throws SQLException {
        switch (dialect) {
            case POSTGRESQL -> {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    // the server notices a vanished client after ~25 s instead of the OS default of hours
                    st.execute("SET tcp_keepalives_idle = 10");
                    st.execute("SET tcp_keepalives_interval = 5");
                    st.execute("SET tcp_keepalives_count = 3");
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    ps.setLong(1, pgKey(prefix, chainId));
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() && rs.getBoolean(1);
                    }
                }
            }
            case MARIADB -> {
                c.setAutoCommit(true);
                try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
                    ps.setString(1, mariaName(prefix, chainId));
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() && rs.getInt(1) == 1;
                    }
                }
            }
            case H2 -> {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCK_TIMEOUT 50");
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT chain_id FROM " + JdbcSchema.leasesTable(prefix)
                        + " WHERE chain_id = ? FOR UPDATE")) {
                    ps.setString(1, chainId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                } catch (SQLException e) {
                    if (e.getErrorCode() == 50200 || "HYT00".equals(e.getSQLState())) { // LOCK_TIMEOUT_1
                        c.rollback();
                        return false;
                    }
                    throw e;
                }
            }
            default -> throw new IllegalStateException(String.valueOf(dialect));
        }
    }

    private static String holder(Connection main, String prefix, String chainId) throws SQLException {
        try (PreparedStatement ps = main.prepareStatement("SELECT holder, leased_at FROM "
                + JdbcSchema.chainsTable(prefix) + " WHERE chain_id = ?")) {
            ps.setString(1, chainId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "an unknown holder";
            }
        } finally {
            main.rollback();
        }
    }

    static String mechanism(Dialect dialect) {
        return switch (dialect) {
            case POSTGRESQL -> "PostgreSQL advisory lock";
            case MARIADB -> "MariaDB GET_LOCK";
            case H2 -> "H2 row lock";
        };
    }

    /** A 64-bit advisory lock key for the chain in this table set. */
    static long pgKey(String prefix, String chainId) {
        byte[] h = sha256("auditlog:chain:" + prefix + ":" + chainId);
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (h[i] & 0xff);
        }
        return k;
    }

    /** A GET_LOCK name (at most 64 characters) for the chain in this table set. */
    static String mariaName(String prefix, String chainId) {
        return "auditlog:" + HexFormat.of().formatHex(sha256(prefix + ":" + chainId)).substring(0, 48);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
