package dev.auditlog.spi;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditQueryable;

import java.util.Optional;
import java.util.function.Function;

/**
 * Creates sinks from spec strings such as {@code memory:}, {@code file:./audit} or
 * {@code jdbc:postgresql://db/audit}. Providers are found with {@link java.util.ServiceLoader}: declare
 * {@code provides dev.auditlog.spi.AuditSinkProvider with ...} in {@code module-info.java} and list the class in
 * {@code META-INF/services/dev.auditlog.spi.AuditSinkProvider}.
 *
 * <p>A provider is also how tools such as the {@code auditlog} command find a store by its spec: besides sinks, it
 * may offer the store's other capabilities for the same spec. Each is optional; a tool that needs one the store does
 * not offer says so. {@link #reader} is the one that matters most: with it, the store's logs can be verified,
 * tailed and proved.
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

    /**
     * A reader over the storage {@code spec} names (the same spec {@link #create} takes), when this store can be read
     * back. The caller closes it. The default offers none.
     *
     * @throws IllegalArgumentException when the spec is malformed; the message names the spec and the rule
     */
    default Optional<AuditReader> reader(String spec) {
        return Optional.empty();
    }

    /**
     * Audited queries over the storage {@code spec} names, when this store can answer them: apply the function to
     * the log that must record each query (before its answer is returned) to get the {@link AuditQueryable}. A
     * function rather than a queryable so that a caller learns whether queries are supported before it opens that
     * log. The default offers none.
     *
     * @throws IllegalArgumentException when the spec is malformed
     */
    default Optional<Function<AuditLog, AuditQueryable>> queryable(String spec) {
        return Optional.empty();
    }
}
