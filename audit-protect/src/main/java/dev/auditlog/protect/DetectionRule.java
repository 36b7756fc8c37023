package dev.auditlog.protect;

import java.util.List;

/**
 * A real-time detection rule. The log calls {@link #evaluate} for every sealed event record made by
 * {@code record()}, in sequence order, on its rules thread (never the caller's, never the dispatcher's), one record
 * at a time: implementations need no locking but must be quick and keep bounded state. The log's own records
 * ({@code audit.*}) and guard decisions are not evaluated.
 *
 * <pre>{@code
 * DetectionRule bigRefunds = new DetectionRule() {
 *     public String id() { return "big-refund"; }
 *     public List<Alert> evaluate(ObservedEvent o) {
 *         Object amount = o.event().attributes().get("amount");
 *         if (!(amount instanceof Long a) || a < 10_000) return List.of();
 *         return List.of(Alert.builder().ruleId(id()).key("actor:" + o.event().actor().id())
 *                 .sequence(o.sequence()).summary("refund of " + a).firedAt(o.occurredAt()).build());
 *     }
 * };
 * }</pre>
 */
public interface DetectionRule {

    /** The rule id (see {@link PolicyRule#ID_REGEX}); alerts carry it. */
    String id();

    /** The alerts this record triggers; usually an empty list. An exception is logged and counted, not fatal. */
    List<Alert> evaluate(ObservedEvent observed);

    /** What to do when this rule fires, after the alert is recorded and handed to listeners. Default none. */
    default List<AlertResponse> responses() {
        return List.of();
    }
}
