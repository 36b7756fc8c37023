package dev.auditlog.spi;

import dev.auditlog.AuditEvent;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** What an {@link AuditInterceptor} may use of the log it is installed in. */
public interface InterceptorContext {

    /** The log's id. */
    String logId();

    /** The log's clock, for timestamps (the log fills {@code occurredAt} from it). */
    Clock clock();

    /**
     * A builder for one of the log's own records, pre-filled as the log fills its own: category SYSTEM, actor
     * {@code system:auditlog}, outcome SUCCESS. Record it with {@link #recordSelf}.
     *
     * @param action the action, such as {@code audit.alert}; see {@code docs/FORMAT.md} for the log's own actions
     */
    AuditEvent.Builder selfEvent(String action);

    /**
     * Records one of the log's own records (an alert, a summary, a configuration change). It bypasses the
     * interceptors and the queue's capacity, so it is never dropped or skipped, and is not seen by
     * {@link AuditInterceptor#afterSeal}. Returns once the record is queued.
     *
     * @throws IllegalStateException after the log closed
     */
    void recordSelf(AuditEvent event);

    /**
     * Runs {@code task} on the log's dispatcher thread after {@code delay}, by the log's ticker (not the wall
     * clock), and again after each delay it returns, until it returns empty or the log closes. Tasks must be
     * quick. {@code AuditLog.flush()} first runs every task that is due.
     */
    void schedule(Duration delay, Supplier<Optional<Duration>> task);
}
