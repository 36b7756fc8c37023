package dev.auditlog.jdbc;

import java.util.Locale;
import java.util.Optional;

/** The databases the JDBC sink supports; each has its own DDL ({@link JdbcSchema}) and streaming rules. */
public enum Dialect {
    /** PostgreSQL 11 or newer. */
    POSTGRESQL,
    /** MariaDB 10.5 or newer (through MariaDB Connector/J). */
    MARIADB,
    /** H2 2.x, the embedded default (file mode). */
    H2;

    /**
     * The dialect for a {@link java.sql.DatabaseMetaData#getDatabaseProductName() database product name}, or
     * empty when the product is not supported.
     */
    public static Optional<Dialect> fromProductName(String productName) {
        String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return Optional.of(POSTGRESQL);
        }
        if (p.contains("mariadb")) {
            return Optional.of(MARIADB);
        }
        if (p.equals("h2")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }

    /** The dialect a JDBC URL names by its sub-protocol ({@code jdbc:postgresql:}, ...), or empty. */
    public static Optional<Dialect> fromUrl(String jdbcUrl) {
        String u = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return Optional.of(POSTGRESQL);
        }
        if (u.startsWith("jdbc:mariadb:")) {
            return Optional.of(MARIADB);
        }
        if (u.startsWith("jdbc:h2:")) {
            return Optional.of(H2);
        }
        return Optional.empty();
    }
}
