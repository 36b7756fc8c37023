package dev.auditlog;

import dev.auditlog.spi.SealedRecord;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an {@link AuditQuery}'s results: records in sequence order, and the token for the next page when
 * there may be more.
 *
 * @param records       the matching records, in sequence order, at most the query's page size; immutable
 * @param nextPageToken the token to pass to {@link AuditQuery.Builder#pageToken(String)} for the next page, or
 *                      empty when this is the last page (as of the query)
 */
public record AuditPage(List<SealedRecord> records, Optional<String> nextPageToken) {

    /** Validates and copies the components. */
    public AuditPage {
        records = List.copyOf(Objects.requireNonNull(records, "records"));
        Objects.requireNonNull(nextPageToken, "nextPageToken");
    }
}
