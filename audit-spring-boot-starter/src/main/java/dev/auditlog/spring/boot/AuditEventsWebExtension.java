package dev.auditlog.spring.boot;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventsEndpoint;
import org.springframework.lang.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paging for {@code /actuator/auditevents} over HTTP: the same {@code principal}, {@code after} and {@code type}
 * filters as Spring Boot's endpoint, plus {@code limit} (1-1000, default {@code auditlog.audit-events.page-size})
 * and {@code pageToken}. The answer is Spring Boot's ({@code {"events": [...]}}) plus {@code nextPageToken} when
 * there are more. A malformed limit or token is answered 400 with a message naming it.
 */
@EndpointWebExtension(endpoint = AuditEventsEndpoint.class)
public class AuditEventsWebExtension {
    private final AuditLogEventRepository repository;
    private final int defaultPageSize;

    /** Pages through {@code repository}. */
    public AuditEventsWebExtension(AuditLogEventRepository repository, int defaultPageSize) {
        this.repository = repository;
        this.defaultPageSize = defaultPageSize;
    }

    /** One page of events. */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> events(@Nullable String principal,
                                                           @Nullable OffsetDateTime after,
                                                           @Nullable String type,
                                                           @Nullable Integer limit,
                                                           @Nullable String pageToken) {
        AuditLogEventRepository.Page page;
        try {
            page = repository.page(principal, after == null ? null : after.toInstant(), type,
                    limit == null ? defaultPageSize : limit, pageToken);
        } catch (IllegalArgumentException e) {
            return new WebEndpointResponse<>(Map.of("error", e.getMessage()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        List<AuditEvent> events = page.events();
        body.put("events", events);
        page.nextPageToken().ifPresent(t -> body.put("nextPageToken", t));
        return new WebEndpointResponse<>(body);
    }
}
