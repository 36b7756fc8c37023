package dev.auditlog.jdbc.internal;

import dev.auditlog.jdbc.Dialect;
import dev.auditlog.jdbc.JdbcAuditSink;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

/**
 * Creates JDBC sinks from specs that are JDBC URLs: {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...},
 * {@code jdbc:h2:file:...}. The whole spec is the URL; the sink uses the default table prefix and creates the
 * schema. The driver must be on the class path.
 */
public final class JdbcAuditSinkProvider implements AuditSinkProvider {

    /** For {@link java.util.ServiceLoader}. */
    public JdbcAuditSinkProvider() {
    }

    @Override
    public String scheme() {
        return "jdbc";
    }

    @Override
    public AuditSink create(String spec) {
        if (Dialect.fromUrl(spec).isEmpty()) {
            throw new IllegalArgumentException("jdbc sink spec must be a JDBC URL starting with jdbc:postgresql:, "
                    + "jdbc:mariadb: or jdbc:h2:, was \"" + ConnectionSource.redact(spec) + "\"");
        }
        return JdbcAuditSink.builder(spec).build();
    }
}
