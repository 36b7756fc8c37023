package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.auditlog.ActorType;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/** Reads an {@link EventSummary} from a stored event payload with one streaming pass, skipping what it does not need. */
final class EventSummaries {
    private EventSummaries() {
    }

    public static EventSummary read(byte[] line, int start, int end, long sequence) {
        UUID id = null;
        Instant occurredAt = null;
        String action = null;
        Category category = null;
        String actorId = null;
        ActorType actorType = null;
        String targetType = null;
        String targetId = null;
        OutcomeStatus outcome = null;
        String tenantId = null;
        String traceId = null;
        try (JsonParser p = Json.FACTORY.createParser(line, start, end - start)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "an object", sequence);
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = UUID.fromString(p.getText());
                    case "occurredAt" -> occurredAt = time(p.getText());
                    case "action" -> action = p.getText();
                    case "category" -> category = Category.valueOf(p.getText());
                    case "tenantId" -> tenantId = p.getText();
                    case "traceId" -> traceId = p.getText();
                    case "actor" -> {
                        expect(t == JsonToken.START_OBJECT, "actor to be an object", sequence);
                        String f;
                        while ((f = p.nextFieldName()) != null) {
                            JsonToken v = p.nextToken();
                            if (f.equals("id")) {
                                actorId = p.getText();
                            } else if (f.equals("type")) {
                                actorType = ActorType.valueOf(p.getText());
                            } else if (v.isStructStart()) {
                                p.skipChildren();
                            }
                        }
                    }
                    case "targets" -> {
                        expect(t == JsonToken.START_ARRAY, "targets to be an array", sequence);
                        boolean first = true;
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            String f;
                            while ((f = p.nextFieldName()) != null) {
                                p.nextToken();
                                if (first && f.equals("type")) {
                                    targetType = p.getText();
                                } else if (first && f.equals("id")) {
                                    targetId = p.getText();
                                }
                            }
                            first = false;
                        }
                    }
                    case "outcome" -> {
                        expect(t == JsonToken.START_OBJECT, "outcome to be an object", sequence);
                        String f;
                        while ((f = p.nextFieldName()) != null) {
                            p.nextToken();
                            if (f.equals("status")) {
                                outcome = OutcomeStatus.valueOf(p.getText());
                            }
                        }
                    }
                    default -> {
                        if (t.isStructStart()) {
                            p.skipChildren();
                        }
                    }
                }
            }
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("malformed record: event payload of record " + sequence
                    + " cannot be read: " + e.getMessage(), e);
        }
        expect(id != null && action != null && category != null && actorId != null && actorType != null
                && outcome != null, "id, action, category, actor and outcome", sequence);
        return new EventSummary(id, occurredAt, action, category, actorId, actorType, Optional.ofNullable(targetType),
                Optional.ofNullable(targetId), outcome, Optional.ofNullable(tenantId), Optional.ofNullable(traceId));
    }

    private static Instant time(String s) {
        Instant canonical = Times.parseCanonical(s);
        return canonical != null ? canonical : Instant.parse(s);
    }

    private static void expect(boolean ok, String what, long sequence) {
        if (!ok) {
            throw new IllegalArgumentException("malformed record: event payload of record " + sequence
                    + " lacks " + what);
        }
    }
}
