package dev.auditlog.jdbc.internal;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditQueryable;
import dev.auditlog.jdbc.Dialect;
import dev.auditlog.jdbc.JdbcAuditReader;
import dev.auditlog.jdbc.JdbcAuditSink;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates JDBC sinks from specs that are JDBC URLs: {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...},
 * {@code jdbc:h2:file:...}. The whole spec is the URL; the sink uses the default table prefix and creates the
 * schema. The driver must be on the class path. Offers a {@link JdbcAuditReader} over the same URL, for verification
 * and audited queries; no retention (the tables are append-only by design).
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
        return JdbcAuditSink.builder(checkUrl(spec)).build();
    }

    @Override
    public Optional<AuditReader> reader(String spec) {
        return Optional.of(JdbcAuditReader.builder(checkUrl(spec)).build());
    }

    @Override
    public Optional<Function<AuditLog, AuditQueryable>> queryable(String spec) {
        String url = checkUrl(spec);
        return Optional.of(auditTo -> JdbcAuditReader.builder(url).auditTo(auditTo).build());
    }

    private static String checkUrl(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (Dialect.fromUrl(spec).isEmpty()) {
            throw new IllegalArgumentException("jdbc sink spec must be a JDBC URL starting with jdbc:postgresql:, "
                    + "jdbc:mariadb: or jdbc:h2:, was \"" + schemeOf(spec) + "…\"");
        }
        return spec;
    }

    /** Only the scheme part of a URL goes into a message: the rest may hold a password. */
    private static String schemeOf(String url) {
        int first = url.indexOf(':');
        int second = first < 0 ? -1 : url.indexOf(':', first + 1);
        String scheme = second < 0 ? url.substring(0, Math.max(0, first + 1)) : url.substring(0, second + 1);
        return scheme.length() > 32 || !scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == ':')
                ? "" : scheme;
    }
}
