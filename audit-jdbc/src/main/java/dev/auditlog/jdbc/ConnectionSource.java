package dev.auditlog.jdbc;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** Where connections come from: the user's {@link DataSource}, or a JDBC URL through {@link DriverManager}. */
final class ConnectionSource {
    private final DataSource dataSource;
    private final String url;
    private final String name;

    private ConnectionSource(DataSource dataSource, String url, String name) {
        this.dataSource = dataSource;
        this.url = url;
        this.name = name;
    }

    /** Connections from a data source (a pool, typically). */
    public static ConnectionSource of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new ConnectionSource(dataSource, null, "jdbc:" + dataSource.getClass().getSimpleName());
    }

    /** Connections from {@link DriverManager#getConnection(String)}. */
    public static ConnectionSource of(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:") || jdbcUrl.length() < 7) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:<driver>:, was \"" + redact(jdbcUrl)
                    + "\"");
        }
        return new ConnectionSource(null, jdbcUrl, redact(jdbcUrl));
    }

    /**
     * A new connection. A failure's message is scrubbed of the URL's credentials (a driver may quote a misparsed
     * URL: {@code Incorrect port value : <password>@host}), and the driver's exception is not kept as the cause, since
     * a stack trace would print its message.
     */
    public Connection get() throws SQLException {
        try {
            return dataSource != null ? dataSource.getConnection() : DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw scrubbed(e, url);
        }
    }

    /** A copy of {@code e} with its message scrubbed of {@code url}'s secrets, with no cause. */
    static SQLException scrubbed(SQLException e, String url) {
        String m = dev.auditlog.spi.Scrubber.scrub(String.valueOf(e.getMessage()), url);
        SQLException copy = new SQLException(m, e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** A name for messages, without credentials or driver options. */
    public String name() {
        return name;
    }

    /** The dialect the URL names, if connections come from a URL. */
    public Optional<Dialect> urlDialect() {
        return url == null ? Optional.empty() : Dialect.fromUrl(url);
    }

    /**
     * The dialect to use: the override when set, else the one the database reports.
     *
     * @throws IOException naming the product when it is not supported
     */
    public Dialect dialect(Connection c, Dialect override) throws SQLException, IOException {
        if (override != null) {
            return override;
        }
        String product = c.getMetaData().getDatabaseProductName();
        return Dialect.fromProductName(product).orElseThrow(() -> new IOException("database product \"" + product
                + "\" at " + name + " is not supported by the JDBC audit sink (PostgreSQL, MariaDB, H2); "
                + "set dialect(...) explicitly if it is compatible with one of them"));
    }

    /** The URL without user info, query string or properties: {@code jdbc:postgresql://host/db}. */
    public static String redact(String url) {
        String u = url;
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q);
        }
        int semi = u.indexOf(';'); // H2 settings and SQL Server style properties
        if (semi >= 0) {
            u = u.substring(0, semi);
        }
        int scheme = u.indexOf("//");
        int at = u.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            u = u.substring(0, scheme + 2) + u.substring(at + 1);
        }
        return u;
    }

    /** Rolls back and closes a connection that is done or broken, ignoring failures: there is nothing to keep. */
    public static void release(java.sql.Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (java.sql.SQLException ignored) {
            // broken, or nothing to roll back
        }
        try {
            c.close();
        } catch (java.sql.SQLException ignored) {
            // already broken
        }
    }
}
