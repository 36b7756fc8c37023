package dev.auditlog.spi;

import dev.auditlog.ActorType;
import dev.auditlog.Category;
import dev.auditlog.OutcomeStatus;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The fields of a stored event that storage indexes for queries, read by {@link SealedRecord#eventSummary()}.
 *
 * @param eventId    the event id
 * @param occurredAt when the action happened (the log fills it in when the caller did not)
 * @param action     the action
 * @param category   the category
 * @param actorId    the actor's id
 * @param actorType  the actor's type
 * @param targetType the first target's type, when there is a target
 * @param targetId   the first target's id, when there is a target
 * @param outcome    the outcome status
 * @param tenantId   the tenant, when set
 * @param traceId    the trace id, when set
 */
public record EventSummary(UUID eventId, Instant occurredAt, String action, Category category, String actorId,
                           ActorType actorType, Optional<String> targetType, Optional<String> targetId,
                           OutcomeStatus outcome, Optional<String> tenantId, Optional<String> traceId) {
}
