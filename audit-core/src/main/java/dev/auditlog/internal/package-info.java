/**
 * The engine behind {@link dev.auditlog.AuditLog}; not exported. A record flows through small parts, one job each:
 *
 * <ol>
 *   <li>{@link dev.auditlog.internal.Intake}, on the caller's thread: the interceptors (redaction first), the
 *       strict profile, MDC; then, once the event is handed over (events are immutable) and has its sequence
 *       number, while a batch or more waits to be sealed, writing it straight into its record's line and hashing
 *       the body (the dispatcher then only links it into the chain).</li>
 *   <li>{@link dev.auditlog.internal.HandOff}: the queue; the sequence number is assigned here; the overflow
 *       policy; flush and close hand-shakes.</li>
 *   <li>{@link dev.auditlog.internal.Dispatcher}, one thread: serialising the events handed over as they are,
 *       sealing ({@link dev.auditlog.internal.Sealer}),
 *       the interceptors' observers, {@link dev.auditlog.internal.Checkpoints},
 *       {@link dev.auditlog.internal.Timers}.</li>
 *   <li>{@link dev.auditlog.internal.Sinks}: delivery to every sink with bounded exponential retry.</li>
 *   <li>{@link dev.auditlog.internal.Backlog}: sealed records until every sink stored them; receipts.</li>
 *   <li>{@link dev.auditlog.internal.SelfRecords}: the log's own records. {@link dev.auditlog.internal.Resume}:
 *       where a reopened log continues. {@link dev.auditlog.internal.Engine}: wiring and the front door.</li>
 * </ol>
 *
 * <h2>Locking discipline</h2>
 * There is one lock, the {@link java.util.concurrent.locks.ReentrantLock} inside {@code HandOff}, and no
 * {@code synchronized}. Everything shared between callers and the dispatcher lives in {@code HandOff} and is
 * guarded by that lock: the ring, the next sequence number, the outstanding count, how far receipts are resolved,
 * the closing flag, flush requests, and the dispatcher's {@link dev.auditlog.internal.WaitStrategy} (whether it
 * naps or sleeps until signalled, so whether a caller must wake it). Everything else the dispatcher owns alone and touches without a lock: the
 * sealer, the backlog, the sinks' retry state, checkpoints and timers. The few dispatcher-owned fields that
 * {@code flush()} reads from a caller's thread ({@code SinkState}'s progress) are volatile, and so are the hints in
 * {@code HandOff} that callers read without the lock to decide whether to lay out their records (the next sequence
 * number, how far the dispatcher has sealed, whether it is writing). One hand-shake lives outside the lock, on each
 * {@code Pending} of an event: who lays out and hashes its body (a caller's thread, in a run of its latest records,
 * or the dispatcher) is decided by a compare-and-set of its {@code prepared} field, and the caller publishes the
 * body through that volatile field; the dispatcher, which links records in sequence order, waits for a body a
 * caller is laying out. A caller's run ({@code Intake}) is its thread's alone. Counters any thread
 * bumps are atomics ({@code Counters}). The dispatcher never calls out while holding the lock: sinks, anchors,
 * interceptors and listeners run outside it.
 *
 * <h2>Time</h2>
 * Timestamps come from the builder's {@link java.time.Clock}; timers and timeouts (checkpoint interval, retry
 * backoff, scheduled tasks, queue age, how long the dispatcher has been idle) from its {@link dev.auditlog.Ticker},
 * so tests drive them by hand.
 */
package dev.auditlog.internal;
