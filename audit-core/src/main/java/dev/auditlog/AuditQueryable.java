package dev.auditlog;

/**
 * A store that can search the audit events it holds, for investigations and reports. Reading an audit trail is
 * itself an auditable action (PCI DSS 10.2.1.3): implementations record every query, with the reader's identity,
 * the filter and the number of records returned, into an {@link AuditLog}.
 */
public interface AuditQueryable {

    /**
     * Returns one page of the records that match {@code query}, in sequence order, and records an
     * {@code audit.log.read} event naming {@code readerIdentity}.
     *
     * @param query          the filter and page
     * @param readerIdentity the user (or service) reading, as it will appear as actor id in the audit record
     * @throws AuditException        when the store cannot be searched
     * @throws IllegalStateException when the store has no audit log to record the query in
     */
    AuditPage query(AuditQuery query, String readerIdentity);
}
