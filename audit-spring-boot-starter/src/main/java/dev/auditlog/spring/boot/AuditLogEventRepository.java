package dev.auditlog.spring.boot;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.SealedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Spring Boot's {@link AuditEventRepository} backed by the audit log: what {@code /actuator/auditevents} shows is
 * read back from the log's store, sealed and verifiable, instead of Boot's in-memory default.
 *
 * <ul>
 *   <li>{@link #add} records an event published as Spring Boot's {@code AuditApplicationEvent} as a record with
 *       action {@code spring.<type in lower case>} (category OTHER, the principal as user actor, the data's
 *       string, number and boolean values as attributes, the type as {@code spring.type}). Spring Boot's own
 *       security events ({@code AUTHENTICATION_SUCCESS}, {@code AUTHENTICATION_FAILURE},
 *       {@code AUTHORIZATION_FAILURE}, {@code LOGOUT_SUCCESS}) are skipped when {@link SecurityEventRecorder} records
 *       them as typed records already, so nothing is recorded twice.</li>
 *   <li>{@link #find} and {@link #page} read the event records in sequence order; a typed security record is shown
 *       with Spring Boot's type name, any other with its action. Each read is itself recorded
 *       ({@code audit.log.read}, category AUDIT_LOG_ACCESS, with the reader and the filter).</li>
 * </ul>
 *
 * <p>Reading scans the store from the page's first sequence number: fine for an actuator, not a search engine
 * (use {@code auditlog query} or a JDBC store's queries for that).
 */
public class AuditLogEventRepository implements AuditEventRepository {
    /** Spring Boot's types of the events {@link SecurityEventRecorder} records itself. */
    static final Set<String> SECURITY_TYPES = Set.of("AUTHENTICATION_SUCCESS", "AUTHENTICATION_FAILURE",
            "AUTHORIZATION_FAILURE", "LOGOUT_SUCCESS");
    private static final Map<String, String> BOOT_TYPES = Map.of(
            AuditActions.AUTHN_LOGIN_SUCCESS, "AUTHENTICATION_SUCCESS",
            AuditActions.AUTHN_LOGIN_FAIL, "AUTHENTICATION_FAILURE",
            AuditActions.AUTHZ_FAIL, "AUTHORIZATION_FAILURE",
            SecurityEventRecorder.LOGOUT, "LOGOUT_SUCCESS");
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,18}");
    private static final Logger LOG = LoggerFactory.getLogger("dev.auditlog");

    private final AuditLog log;
    private final Supplier<Optional<AuditReader>> readers;
    private final int defaultPageSize;
    private final boolean securityRecorded;
    private final Supplier<Actor> currentReader;

    /**
     * @param log              the log records are added to and read from
     * @param readers          opens a reader over the log's store (closed after each read)
     * @param defaultPageSize  events per page when a read names no limit
     * @param securityRecorded whether {@link SecurityEventRecorder} records the security events
     * @param currentReader    who is reading, for the {@code audit.log.read} record
     */
    public AuditLogEventRepository(AuditLog log, Supplier<Optional<AuditReader>> readers, int defaultPageSize,
                                   boolean securityRecorded, Supplier<Actor> currentReader) {
        this.log = Objects.requireNonNull(log, "log");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.defaultPageSize = defaultPageSize;
        this.securityRecorded = securityRecorded;
        this.currentReader = Objects.requireNonNull(currentReader, "currentReader");
    }

    @Override
    public void add(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (securityRecorded && SECURITY_TYPES.contains(event.getType())) {
            return;
        }
        dev.auditlog.AuditEvent.Builder b = dev.auditlog.AuditEvent.builder()
                .action("spring." + actionPart(event.getType()))
                .category(Category.OTHER).actor(Requests.user(event.getPrincipal()))
                .occurredAt(event.getTimestamp()).outcome(Outcome.success())
                .attribute("spring.type", event.getType());
        for (Map.Entry<String, Object> e : event.getData().entrySet()) {
            String name = attributeName(e.getKey());
            Object v = e.getValue();
            if (name == null || name.equals("spring.type")) {
                continue;
            }
            if (v instanceof String s) {
                b.attribute(name, s);
            } else if (v instanceof Boolean bool) {
                b.attribute(name, bool);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                b.attribute(name, ((Number) v).longValue());
            } else if (v != null) {
                // Objects (authentication details, say) may hold session ids or tokens: only their kind is kept.
                b.attribute(name + ".class", v.getClass().getName());
            }
        }
        log.record(b.build());
    }

    @Override
    public List<AuditEvent> find(String principal, Instant after, String type) {
        return page(principal, after, type, defaultPageSize, null).events();
    }

    /**
     * One page of events in sequence order.
     *
     * @param principal only this actor id; any when null
     * @param after     only events that occurred after this instant; any when null
     * @param type      only this Spring Boot type (such as {@code AUTHENTICATION_FAILURE}) or action; any when null
     * @param limit     events per page, 1-1000
     * @param pageToken where to go on, from the previous page; from the start when null
     * @throws IllegalArgumentException when the limit or the token is malformed (the message names which)
     */
    public Page page(String principal, Instant after, String type, int limit, String pageToken) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
        long from = 0;
        if (pageToken != null) {
            if (!TOKEN.matcher(pageToken).matches()) {
                throw new IllegalArgumentException("pageToken must be the nextPageToken of a previous page");
            }
            from = Long.parseLong(pageToken);
        }
        try {
            log.flush(); // read what was recorded before this request, not only what happens to be stored
        } catch (AuditException e) {
            LOG.warn("audit log {}: reading audit events after a failed flush: {}", log.logId(), e.getMessage());
        }
        List<AuditEvent> events = new ArrayList<>();
        String next = null;
        boolean ok = false;
        try (AuditReader reader = readers.get().orElseThrow(() -> new IllegalStateException(
                "the audit log's store cannot be read back, so /actuator/auditevents has nothing to show"));
             Stream<SealedRecord> records = reader.read(log.chainId(), from)) {
            for (Iterator<SealedRecord> it = records.iterator(); it.hasNext(); ) {
                SealedRecord r = it.next();
                Optional<dev.auditlog.AuditEvent> e = r.event();
                if (e.isEmpty() || !matches(e.get(), principal, after, type)) {
                    continue;
                }
                if (events.size() == limit) {
                    next = Long.toString(r.sequence());
                    break;
                }
                events.add(toBoot(r.sequence(), e.get()));
            }
            ok = true;
        } catch (IOException e) {
            throw new UncheckedIOException("reading audit log " + log.logId() + " failed: " + e.getMessage(), e);
        } finally {
            recordRead(principal, after, type, events.size(), next != null, ok);
        }
        return new Page(List.copyOf(events), Optional.ofNullable(next));
    }

    private void recordRead(String principal, Instant after, String type, int rows, boolean more, boolean ok) {
        StringBuilder filter = new StringBuilder();
        if (principal != null) {
            filter.append("principal=").append(principal).append(' ');
        }
        if (after != null) {
            filter.append("after=").append(after).append(' ');
        }
        if (type != null) {
            filter.append("type=").append(type).append(' ');
        }
        log.record(dev.auditlog.AuditEvent.builder().action("audit.log.read").category(Category.AUDIT_LOG_ACCESS)
                .actor(currentReader.get()).target(Target.of("audit_log", log.logId()))
                .outcome(ok ? Outcome.success() : Outcome.failure("read_failed"))
                .attribute("query", filter.isEmpty() ? "all" : filter.toString().strip())
                .attribute("rows", (long) rows).attribute("more", more).build());
    }

    private static boolean matches(dev.auditlog.AuditEvent e, String principal, Instant after, String type) {
        if (principal != null && !principal.equals(e.actor().id())) {
            return false;
        }
        if (after != null && !e.occurredAt().map(t -> t.isAfter(after)).orElse(false)) {
            return false;
        }
        return type == null || type.equals(e.action()) || type.equals(BOOT_TYPES.get(e.action()));
    }

    private static AuditEvent toBoot(long sequence, dev.auditlog.AuditEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sequence", sequence);
        data.put("eventId", e.eventId().toString());
        data.put("action", e.action());
        data.put("category", e.category().name());
        data.put("severity", e.severity().name());
        data.put("outcome", e.outcome().status().name());
        e.outcome().reasonCode().ifPresent(c -> data.put("reasonCode", c));
        e.origin().flatMap(o -> o.ip()).ifPresent(ip -> data.put("remoteAddress", ip));
        if (!e.targets().isEmpty()) {
            List<Map<String, String>> targets = new ArrayList<>();
            for (Target t : e.targets()) {
                targets.add(Map.of("type", t.type(), "id", t.id()));
            }
            data.put("targets", targets);
        }
        e.correlationId().ifPresent(c -> data.put("correlationId", c));
        e.traceId().ifPresent(c -> data.put("traceId", c));
        e.message().ifPresent(m -> data.put("message", m));
        if (!e.attributes().isEmpty()) {
            data.put("attributes", e.attributes());
        }
        String type = BOOT_TYPES.getOrDefault(e.action(), e.action());
        return new AuditEvent(e.occurredAt().orElse(Instant.EPOCH), e.actor().id(), type, data);
    }

    static String actionPart(String type) {
        StringBuilder b = new StringBuilder();
        for (char c : (type == null ? "" : type).toLowerCase(Locale.ROOT).toCharArray()) {
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_');
        }
        if (b.isEmpty() || !Character.isLetter(b.charAt(0))) {
            b.insert(0, 'e');
        }
        return b.length() > 100 ? b.substring(0, 100) : b.toString();
    }

    private static String attributeName(String key) {
        if (key == null || key.isEmpty() || key.length() > 100 || !Character.isLetter(key.charAt(0))
                || key.charAt(0) > 'z') {
            return null;
        }
        for (char c : key.toCharArray()) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-')) {
                return null;
            }
        }
        return key;
    }

    /**
     * One page of {@link #page}.
     *
     * @param events        the events, in sequence order
     * @param nextPageToken where the next page starts; empty on the last page
     */
    public record Page(List<AuditEvent> events, Optional<String> nextPageToken) {
    }
}
