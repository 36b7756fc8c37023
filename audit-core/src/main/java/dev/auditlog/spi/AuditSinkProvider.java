package dev.auditlog.spi;

/**
 * Creates sinks from spec strings such as {@code memory:}, {@code file:./audit} or
 * {@code jdbc:postgresql://db/audit}. Providers are found with {@link java.util.ServiceLoader}: declare
 * {@code provides dev.auditlog.spi.AuditSinkProvider with ...} in {@code module-info.java} and list the class in
 * {@code META-INF/services/dev.auditlog.spi.AuditSinkProvider}.
 */
public interface AuditSinkProvider {

    /** The scheme this provider serves, without the colon, for example {@code "file"}. Lowercase. */
    String scheme();

    /**
     * Creates an unopened sink.
     *
     * @param spec the whole spec string, starting with {@code scheme() + ":"}
     * @throws IllegalArgumentException when the spec is malformed; the message names the spec and the rule
     */
    AuditSink create(String spec);
}
