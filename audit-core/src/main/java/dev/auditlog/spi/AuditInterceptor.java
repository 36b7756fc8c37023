package dev.auditlog.spi;

import dev.auditlog.AuditEvent;

import java.time.Instant;
import java.util.Map;

/**
 * A step of the log around sealing, installed with {@code AuditLog.Builder.intercept(...)}. Interceptors run in the
 * order they were added, after the log's redaction (which always runs first, so no interceptor sees a secret).
 *
 * <ul>
 *   <li>{@link #beforeSeal} runs on the caller's thread for every event {@code record}, {@code guard} or
 *       {@code guarded} is given: it may pass the event on, pass on a changed event, skip a recorded event (not
 *       recorded, counted), or veto an intent given to {@code guard} (the decision is recorded with outcome
 *       DENIED and the caller is told). Intents and guarded outcomes are always recorded: a skip of one is not
 *       honoured (it is logged, and the next interceptor decides); nor is a veto of anything but an intent.</li>
 *   <li>{@link #afterSeal} runs on the log's dispatcher thread for every sealed event record made from a caller's
 *       event (not the log's own {@code audit.*} records), in sequence order, when {@link #observesSealed()} is
 *       true. It must be quick: hand work off to another thread.</li>
 * </ul>
 *
 * <p>An interceptor belongs to one log: {@link #start} is called once, before any event; {@link #close} once, after
 * every record made before {@code close()} was called is resolved, before the log writes {@code audit.log.stopped}.
 * Implementations must be thread-safe: {@code beforeSeal} runs on many callers' threads at once.
 */
public interface AuditInterceptor {

    /** Which call an event came from. */
    enum Call {
        /** {@code AuditLog.record}: something that happened. */
        RECORD,
        /** {@code AuditLog.guard}: an action about to run, which may be vetoed. */
        INTENT,
        /** The outcome of an action run by {@code AuditLog.guarded}. */
        OUTCOME
    }

    /** A short name for messages and for {@code audit.log.started} (attribute {@code interceptors}). */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple; // an anonymous class has no simple name
    }

    /**
     * Called once when the log starts, before any event; {@code context} gives the log's id, clock, timers and a way
     * to write the log's own records.
     *
     * @throws IllegalStateException when the interceptor is already installed in another log
     */
    default void start(InterceptorContext context) {
    }

    /**
     * Decides what becomes of an event before it is sealed. Called on the caller's thread.
     *
     * @param event the event, already redacted and changed by the interceptors before this one
     * @param call  which call it came from; {@link Interception#skip} is honoured for {@link Call#RECORD} only,
     *              {@link Interception#veto} for {@link Call#INTENT} only
     * @return what to do; never null
     * @throws IllegalArgumentException to refuse an invalid event: the caller gets the exception, nothing is
     *                                  recorded (the message must name the rule, never a value)
     */
    Interception beforeSeal(AuditEvent event, Call call);

    /** Whether {@link #afterSeal} wants to see sealed records. Default false. */
    default boolean observesSealed() {
        return false;
    }

    /**
     * Sees a sealed event record: its sequence number, when it happened (the event's {@code occurredAt}, or the time
     * the log filled in) and the event as recorded. Called on the dispatcher thread; never blocks the log for long.
     */
    default void afterSeal(long sequence, Instant occurredAt, AuditEvent event) {
    }

    /**
     * Waits until the work {@link #afterSeal} handed off for the records sealed so far is done, so that the records
     * it writes (through {@link InterceptorContext#recordSelf}) are part of {@code AuditLog.flush()}.
     */
    default void awaitIdle() {
    }

    /** Attributes added to the log's {@code audit.log.started} record, describing this interceptor's settings. */
    default Map<String, Object> startedAttributes() {
        return Map.of();
    }

    /** Attributes added to the log's {@code audit.log.stopped} record, such as this interceptor's counters. */
    default Map<String, Object> stoppedAttributes() {
        return Map.of();
    }

    /**
     * Called once when the log closes, after every record made before the close is resolved and before
     * {@code audit.log.stopped} is written; may still {@linkplain InterceptorContext#recordSelf record}.
     */
    default void close() {
    }
}
