package dev.auditlog;

import dev.auditlog.integrity.SigningKey;
import dev.auditlog.internal.Engine;
import dev.auditlog.internal.EngineConfig;
import dev.auditlog.internal.EventRewriter;
import dev.auditlog.internal.SinkSpecs;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.LogIds;
import dev.auditlog.spi.SafeText;
import dev.auditlog.spi.Interception;
import dev.auditlog.spi.TraceContextProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * An audit log's writer in this process: it appends to this instance's hash chain of the log, written to one or
 * more sinks. A log (such as {@code orders}) may be written by many processes at once, replicas of one application
 * with one configuration: each writes its own chain, {@code <log id>@<instance id>} (see
 * {@link Builder#instanceId(String)}), and readers and verifiers see the log as the union of its chains.
 *
 * <pre>{@code
 * try (AuditLog log = AuditLog.builder().logId("orders").sink("memory:").build()) {
 *     log.record(AuditEvent.builder()
 *             .action(AuditActions.AUTHN_LOGIN_SUCCESS)
 *             .category(Category.AUTHENTICATION)
 *             .actor(Actor.user("alice"))
 *             .outcome(Outcome.success())
 *             .build());
 * }
 * }</pre>
 *
 * <p>{@link #record} is thread-safe. Each record gets a contiguous sequence number and is sealed (exact bytes,
 * leaf hash, chain hash; see {@code docs/FORMAT.md}) by one dispatcher thread before any sink sees it, so every
 * sink stores the same bytes. Sinks receive batches; a failing sink is retried with bounded exponential backoff,
 * after which the affected receipts fail and listeners are told. {@link #flush()} waits for everything recorded
 * before it; {@link #close()} drains and closes the sinks.
 */
public final class AuditLog implements AutoCloseable {
    private final Engine engine;
    private final Redactor redactor;

    private AuditLog(Engine engine, Redactor redactor) {
        this.engine = engine;
        this.redactor = redactor;
    }

    /** A builder with the defaults documented on each setting. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records an event. In {@link Delivery#ASYNC} mode (default) it returns once the record is queued; in
     * {@link Delivery#SYNC} mode once it is durable in every sink.
     *
     * <p>Before anything else, on the caller's thread, the event is redacted (see {@link Redaction}: by default an
     * attribute whose name looks like a secret is rejected, and {@link Sensitive} values are masked), then the
     * {@linkplain Builder#intercept interceptors} run: one may skip the event (such as a recording policy), and then
     * the receipt says {@link AuditReceipt#isSkipped()}.
     *
     * <p>A trace, span or request id the event lacks is taken on the caller's thread from the
     * {@linkplain Builder#traceContext trace context providers} (such as OpenTelemetry's current span), else from the
     * SLF4J MDC ({@link Builder#mdcKeys}).
     *
     * @throws NullPointerException     when {@code event} is null
     * @throws IllegalArgumentException when the log is strict and the event lacks an origin or a target, or an
     *                                  attribute name looks like a secret under {@code SecretKeyAction.REJECT}
     *                                  (the message names the attribute and the rule, never the value)
     * @throws IllegalStateException    after {@link #close()}
     * @throws AuditException           when the queue is full under {@code THROW} or {@code BLOCK_WITH_TIMEOUT},
     *                                  or, in {@code SYNC} mode, when the record cannot be stored
     */
    public AuditReceipt record(AuditEvent event) {
        return engine.record(Objects.requireNonNull(event, "event"));
    }

    /**
     * Waits until every record accepted before this call is resolved (stored by every sink, or failed), and, when
     * detection rules are configured, until they have evaluated those records and their alerts are resolved too.
     *
     * @throws AuditException when any record failed since the previous flush, or the wait was interrupted
     */
    public void flush() {
        engine.flush();
    }

    /**
     * Asks the {@linkplain Builder#intercept interceptors} (such as the guard rules of {@code audit-protect}) whether
     * the action described by {@code intent} may run, and records the decision synchronously (durable in every sink) before returning: a DENY with outcome
     * DENIED (reason code: the rule id), an ALLOW with outcome PENDING; both carry the attribute
     * {@code guard.decision} and a correlation id (the event's, or else its event id). Fails closed: when the
     * decision cannot be recorded, or an interceptor throws, the answer is DENY (rule
     * {@value GuardDecision#UNRECORDED} for the former). With no interceptor that vetoes, every intent is allowed
     * and recorded.
     *
     * @throws IllegalArgumentException when the event cannot be recorded at all (a secret-looking attribute under
     *                                  REJECT, or the strict profile)
     */
    public GuardDecision guard(AuditEvent intent) {
        return engine.guard(Objects.requireNonNull(intent, "intent"));
    }

    /**
     * Guards {@code intent} ({@link #guard}); if allowed runs {@code action} and records its outcome as a copy of the
     * intent with the same correlation id: SUCCESS, or FAILURE (reason code {@code exception}) with the attribute
     * {@code exception.class} (the class name only, never the message). The outcome record bypasses the recording
     * policy.
     *
     * @throws GuardDeniedException when denied (the action did not run)
     * @throws E                    what the action threw, after its failure was recorded
     */
    public <T, E extends Exception> T guarded(AuditEvent intent, GuardedAction<T, E> action) throws E {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(action, "action");
        return engine.guarded(intent, action);
    }

    /**
     * Retention: removes the records before {@code before} from every sink that supports it (see
     * {@link dev.auditlog.spi.AuditSink#pruner()}), in a way that cannot destroy evidence (docs/FORMAT.md section 11):
     * <ol>
     *   <li>a checkpoint is sealed now, and {@code before} must not be past it;</li>
     *   <li>each pruning sink's copy of the log must verify under the log's key (and {@code formerKeys}, for a log
     *       whose key was rotated), else nothing is deleted;</li>
     *   <li>the cut is the sinks' unit boundary at or below {@code before} (a file sink removes whole segments);</li>
     *   <li>a retention statement, signed with the log's key, naming the cut and the checkpoint that covers it, is
     *       sealed into the log and made durable, then handed to every anchor ({@link Builder#anchor});</li>
     *   <li>only then the sinks remove the records before the cut.</li>
     * </ol>
     * A failure before the last step deletes nothing. Blocks until done.
     *
     * @param before     the first record that may stay; records before it go, or fewer (whole units only)
     * @param formerKeys the keys the log was signed with before a key rotation, to verify its older part
     * @throws IllegalStateException         when the log has no signing key
     * @throws IllegalArgumentException      when {@code before} is below 1 or past the last checkpoint
     * @throws UnsupportedOperationException when no sink supports retention
     * @throws AuditException                when the log does not verify, an anchor refuses, or storage fails; nothing
     *                                       was deleted unless the message says otherwise
     */
    public PruneResult prune(long before, java.util.Collection<dev.auditlog.integrity.VerifierKey> formerKeys) {
        return engine.prune(before, List.copyOf(formerKeys));
    }

    /** {@link #prune(long, java.util.Collection)} for a log whose key was never rotated (or with rotateKeyFrom). */
    public PruneResult prune(long before) {
        return prune(before, List.of());
    }

    /** The log id: the log this process writes one chain of. */
    public String logId() {
        return engine.logId();
    }

    /**
     * The chain this process writes: {@code <log id>@<instance id>}, see {@link Builder#instanceId(String)} and
     * {@link dev.auditlog.spi.ChainIds}. Records carry it, and sinks store the chain under it.
     */
    public String chainId() {
        return engine.chainId();
    }

    /** A snapshot of the counters. */
    public AuditMetrics metrics() {
        return engine.metrics(redactor.redactedCount());
    }

    /**
     * How each sink stands, in the order added: a health check. A sink that is not {@link SinkHealth.Status#OK} is
     * also counted in {@link AuditMetrics#failingSinks()}, logged (a WARN every minute while it lasts, on the log's
     * {@linkplain Builder#ticker ticker}) and, when stuck on a refused record, recorded as {@code audit.sink.stuck}
     * and told to the {@linkplain AuditListener#onSinkStuck listeners}.
     */
    public List<SinkHealth> sinkHealth() {
        return engine.sinkHealth();
    }

    /**
     * Resolves a stuck sink: stores record {@code sequence}, which its store refused, as its exact line without
     * anything derived from the event (a database sink leaves the query columns null, which marks the row; see
     * {@link AuditSink#writeUnindexed}). The chain stays whole: the record is not skipped and its bytes do not change;
     * later records then flow. Records {@code audit.sink.unindexed}. Also works on a sink that passed the record on
     * and holds it in a readable journal (a {@link FailoverSink} whose primary refused it).
     *
     * @param sink     the sink's {@linkplain AuditSink#name() name}, as in {@link #sinkHealth()}
     * @param sequence the record, as in {@link SinkHealth#stuckSequence()}
     * @throws IllegalArgumentException when no sink has that name
     * @throws AuditException           when the record cannot be found or stored that way (the reason is scrubbed)
     */
    public void storeUnindexed(String sink, long sequence) {
        engine.storeUnindexed(Objects.requireNonNull(sink, "sink"), sequence);
    }


    /**
     * How long ago the last signed checkpoint became durable in every sink, as measured by the log's
     * {@linkplain Builder#ticker ticker}; empty when the log writes no checkpoints or none has been made durable since
     * it was built. With checkpoints on, an age well past {@linkplain Builder#checkpointEvery the interval} means
     * checkpoints are not getting through.
     */
    public Optional<Duration> lastCheckpointAge() {
        return engine.lastCheckpointAge();
    }

    /**
     * Records {@code audit.log.stopped}, drains everything, and closes the sinks. Idempotent; {@link #record}
     * afterwards throws {@link IllegalStateException}.
     *
     * @throws AuditException when records could not be stored before the sinks were closed
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "AuditLog[" + chainId() + "]";
    }

    /**
     * Configures and builds an {@link AuditLog}. Each setter validates its argument at once; the message names the
     * setting, the rule and the value.
     */
    public static final class Builder {
        private final List<AuditSink> sinks = new ArrayList<>();
        private final List<AuditListener> listeners = new ArrayList<>();
        private final List<AuditInterceptor> interceptors = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private String logId = "default";
        private String instanceId;
        private boolean singleChain;
        private int queueCapacity = 8192;
        private int maxBatchSize = 512;
        private OverflowPolicy overflowPolicy = OverflowPolicy.BLOCK;
        private Duration blockTimeout;
        private Delivery delivery = Delivery.ASYNC;
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(10);
        private Duration maxBackoff = Duration.ofSeconds(1);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private boolean strict;
        private boolean shutdownHook = true;
        private String mdcTraceId = "traceId";
        private String mdcSpanId = "spanId";
        private String mdcRequestId = "requestId";
        private SigningKey checkpointKey;
        private SigningKey rotateKeyFrom;
        private int checkpointEveryRecords = 1000;
        private Duration checkpointInterval = Duration.ofMinutes(1);
        private final List<CheckpointAnchor> anchors = new ArrayList<>();
        private Redaction redaction = Redaction.defaults();
        private final List<TraceContextProvider> traceContexts = new ArrayList<>();
        private boolean discoverTraceContexts = true;

        private Builder() {
        }

        /** Adds a sink. At least one sink is required. */
        public Builder sink(AuditSink sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Adds a sink created from a spec string such as {@code memory:} or {@code file:./audit}, by the
         * {@link dev.auditlog.spi.AuditSinkProvider} registered for its scheme.
         *
         * @throws IllegalArgumentException when no provider serves the scheme (the message lists the schemes found)
         */
        public Builder sink(String spec) {
            sinks.add(SinkSpecs.create(Objects.requireNonNull(spec, "spec")));
            return this;
        }

        /** The clock for {@code occurredAt} when an event has none, and for seal times. Default: system UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source of nanoseconds for the log's timers and timeouts: checkpoint interval, retry backoff, scheduled
         * tasks, queue age. Separate from {@link #clock}, so tests can drive timers by hand. Default
         * {@link Ticker#system()}.
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The log this process writes (see {@link #instanceId} and {@link #singleChain}): 1–128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit
         * (with an instance id, at most 127 minus the instance id's length, see {@link #instanceId}). Every replica
         * of an application uses the same log id. Default {@code "default"}.
         */
        public Builder logId(String logId) {
            this.logId = LogIds.check(logId);
            return this;
        }

        /**
         * This process's instance id: it names the chain this process writes, {@code <log id>@<instance id>}, so
         * replicas of one application (same configuration, same log id) each write their own chain and never
         * contend. 1–64 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit. It must be stable
         * across restarts, so that a restarted process resumes its chain (a new id starts a new chain, which is
         * fine, but leaves one more chain to verify), and unique among the processes running at once: the store
         * lets one writer hold a chain, and {@link #build()} fails when another process holds it.
         *
         * <p>Default: the system property {@value dev.auditlog.spi.ChainIds#INSTANCE_PROPERTY}, else the environment
         * variable {@value dev.auditlog.spi.ChainIds#INSTANCE_ENV}, else the host name (a pod's name in Kubernetes;
         * use a StatefulSet, or set the variable, when the name changes on every restart).
         */
        public Builder instanceId(String instanceId) {
            this.instanceId = ChainIds.checkInstance("instanceId", instanceId);
            return this;
        }

        /**
         * This process is the log's only writer: its chain is named by the log id alone, without an instance id, as
         * the logs of auditlog 0.1 were. Use it to continue such a log as it is, or where one process writes the log
         * and its layout should stay plain (one chain directory {@code orders/}, one origin {@code auditlog/orders}).
         * A second process doing the same on the same store fails at {@link #build()} (one writer per chain);
         * replicas need {@linkplain #instanceId instance ids} instead. Not with {@link #instanceId}.
         */
        public Builder singleChain() {
            this.singleChain = true;
            return this;
        }

        /** Records accepted but not yet stored, at most; then the overflow policy applies. 1–16 777 216, default 8192. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = checkRange("queueCapacity", queueCapacity, 1, 1 << 24);
            return this;
        }

        /** Records per sink write, at most. 1–65 536, default 512. */
        public Builder maxBatchSize(int maxBatchSize) {
            this.maxBatchSize = checkRange("maxBatchSize", maxBatchSize, 1, 1 << 16);
            return this;
        }

        /** What {@code record()} does when the queue is full. Default {@link OverflowPolicy#BLOCK}. */
        public Builder overflowPolicy(OverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy, "overflowPolicy");
            return this;
        }

        /** How long {@link OverflowPolicy#BLOCK_WITH_TIMEOUT} waits. Positive; required by that policy. */
        public Builder blockTimeout(Duration timeout) {
            this.blockTimeout = checkPositive("blockTimeout", timeout);
            return this;
        }

        /** {@link Delivery#ASYNC} (default) or fail-closed {@link Delivery#SYNC}. */
        public Builder delivery(Delivery delivery) {
            this.delivery = Objects.requireNonNull(delivery, "delivery");
            return this;
        }

        /**
         * Sink retries: after {@code maxAttempts} consecutive failed attempts on a batch its receipts fail; the log
         * keeps retrying in the background (every {@code maxBackoff}) so the sink catches up once it recovers.
         * The wait doubles from {@code initialBackoff} up to {@code maxBackoff}. Defaults: 5, 10 ms, 1 s.
         */
        public Builder retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.maxAttempts = checkRange("maxAttempts", maxAttempts, 1, 1000);
            this.initialBackoff = checkPositive("initialBackoff", initialBackoff);
            this.maxBackoff = checkPositive("maxBackoff", maxBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff
                        + "), was " + maxBackoff);
            }
            return this;
        }

        /** How long {@link #close()} waits for the sinks to drain. Positive, default 30 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = checkPositive("closeTimeout", timeout);
            return this;
        }

        /** Adds a listener for sink failures and drops. */
        public Builder listener(AuditListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Strict profile: reject events without an origin or without a target, so that every record carries the
         * six PCI DSS 10.2.2 details (who, type, when, outcome, origin, affected resource). Default off.
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /** Close the log from a JVM shutdown hook if the application did not. Default on. */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * SLF4J MDC keys read on the calling thread when an event has no trace, span or request id and no
         * {@linkplain #traceContext trace context provider} supplied them. Defaults {@code traceId}, {@code spanId},
         * {@code requestId}; when a trace or span key holds nothing, OpenTelemetry's MDC keys {@code trace_id} and
         * {@code span_id} are read too. Works with any SLF4J binding that has an MDC (Logback, Log4j 2, reload4j,
         * JUL); a binding without one (slf4j-simple, NOP, or no binding) is reported once, at build.
         */
        public Builder mdcKeys(String traceId, String spanId, String requestId) {
            this.mdcTraceId = checkNotEmpty("mdcKeys.traceId", traceId);
            this.mdcSpanId = checkNotEmpty("mdcKeys.spanId", spanId);
            this.mdcRequestId = checkNotEmpty("mdcKeys.requestId", requestId);
            return this;
        }

        /**
         * Writes signed checkpoints into the chain (see {@code docs/FORMAT.md}): a C2SP signed note over the Merkle
         * tree of all records before it, its root, the chain head and the time. A checkpoint is written after at
         * most {@link #checkpointEvery every N records or T time}, also when the log is idle (a heartbeat, so a
         * cut-off tail cannot hide in a quiet period), and at {@link AuditLog#close()}. Resuming such a log needs a
         * sink that can be read back.
         */
        public Builder checkpoints(SigningKey key) {
            this.checkpointKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Rotates the log's signing key: the log's chain is signed with {@code previous}, and from now on with the key
         * given to {@link #checkpoints(SigningKey)}. At {@link #build()} the log records a key rotation (docs/FORMAT.md
         * section 12) signed by both keys, which a verifier trusting the old key follows to the new one. When the
         * chain already moved to the new key (a restart after the rotation), nothing more is recorded, so the setting
         * may stay. Without it, opening a chain signed with another key fails at {@link #build()}.
         */
        public Builder rotateKeyFrom(SigningKey previous) {
            this.rotateKeyFrom = Objects.requireNonNull(previous, "previous");
            return this;
        }

        /**
         * How often to checkpoint: after at most {@code records} records (1–10 000 000, default 1000) and at most
         * {@code interval} (positive, default 1 minute), whichever comes first, idle or not.
         */
        public Builder checkpointEvery(int records, Duration interval) {
            this.checkpointEveryRecords = checkRange("checkpointEvery.records", records, 1, 10_000_000);
            this.checkpointInterval = checkPositive("checkpointEvery.interval", interval);
            return this;
        }

        /**
         * Adds an anchor that receives every checkpoint once it is durable, to keep it off the log. Requires
         * {@link #checkpoints(SigningKey)}.
         */
        public Builder anchor(CheckpointAnchor anchor) {
            anchors.add(Objects.requireNonNull(anchor, "anchor"));
            return this;
        }

        /**
         * Adds a source of the trace and span ids current on the calling thread, asked (in the order added, after
         * any found by {@link ServiceLoader}) for each event that lacks them, before the MDC. Providers on the class
         * or module path, such as {@code audit-opentelemetry}'s, are found at {@link #build()} unless
         * {@link #discoverTraceContexts(boolean) discoverTraceContexts(false)}.
         */
        public Builder traceContext(TraceContextProvider provider) {
            traceContexts.add(Objects.requireNonNull(provider, "provider"));
            return this;
        }

        /**
         * Whether {@link #build()} adds the {@link TraceContextProvider}s that {@link ServiceLoader} finds (from
         * this library's class loader, then the thread's context class loader). Default on.
         */
        public Builder discoverTraceContexts(boolean discover) {
            this.discoverTraceContexts = discover;
            return this;
        }

        /** How secrets and personal data are kept out of records. Default {@link Redaction#defaults()}. */
        public Builder redaction(Redaction redaction) {
            this.redaction = Objects.requireNonNull(redaction, "redaction");
            return this;
        }

        /**
         * Adds an interceptor: a step before sealing (pass on, change, skip, or veto an intent) and after it
         * (observe), such as {@code dev.auditlog.protect.Protection}. Interceptors run in the order added, after the
         * log's {@linkplain #redaction redaction}. An interceptor belongs to one log.
         *
         * @throws IllegalArgumentException when the same interceptor was added twice, or its name is empty, longer
         *                                  than 128 characters or holds a control character
         */
        public Builder intercept(AuditInterceptor interceptor) {
            Objects.requireNonNull(interceptor, "interceptor");
            String name = Objects.requireNonNull(interceptor.name(), "interceptor.name()");
            if (name.isEmpty() || name.length() > 128 || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("interceptor.name() must be 1-128 characters without control"
                        + " characters, was " + SafeText.describe(name));
            }
            for (AuditInterceptor i : interceptors) {
                if (i == interceptor) {
                    throw new IllegalArgumentException("interceptor " + interceptor.name() + " was added twice");
                }
            }
            interceptors.add(interceptor);
            return this;
        }

        /**
         * Resolves the instance id, takes the chain's lease in every sink (failing when another process holds
         * it), resumes the chain from the most advanced sink (bringing lagging sinks up to date), records
         * {@code audit.log.started} and starts the dispatcher.
         *
         * @throws IllegalStateException    when no sink was added, or a setting needs another one
         * @throws IllegalArgumentException when the instance id from the system property or environment breaks
         *                                  the rule, or the chain id would be longer than 128 characters
         * @throws AuditException           when a sink cannot be opened, another writer holds the chain (the
         *                                  message names it), or the sinks' chains disagree
         */
        public AuditLog build() {
            if (sinks.isEmpty()) {
                throw new IllegalStateException("at least one sink is required: call sink(...)");
            }
            if (overflowPolicy == OverflowPolicy.BLOCK_WITH_TIMEOUT && blockTimeout == null) {
                throw new IllegalStateException("overflowPolicy BLOCK_WITH_TIMEOUT requires blockTimeout(...)");
            }
            if (!anchors.isEmpty() && checkpointKey == null) {
                throw new IllegalStateException("anchor(...) needs checkpoints(key): only signed checkpoints are anchored");
            }
            if (rotateKeyFrom != null && checkpointKey == null) {
                throw new IllegalStateException("rotateKeyFrom(...) needs checkpoints(newKey): the key to rotate to");
            }
            if (rotateKeyFrom != null && rotateKeyFrom.verifierKey().equals(checkpointKey.verifierKey())) {
                throw new IllegalStateException("rotateKeyFrom(...) must name the previous key; it is the same key as"
                        + " checkpoints(...): " + checkpointKey);
            }
            if (singleChain && instanceId != null) {
                throw new IllegalStateException("singleChain() and instanceId(\"" + instanceId + "\") exclude each"
                        + " other: a single-chain log has no instance id");
            }
            String chainId = singleChain ? logId
                    : ChainIds.of(logId, instanceId != null ? instanceId : ChainIds.defaultInstanceId());
            List<AuditInterceptor> chain = new ArrayList<>();
            Redactor redactor = new Redactor(redaction);
            chain.add(new RedactionStep(redactor)); // first: no interceptor ever sees a secret
            chain.addAll(interceptors);
            EngineConfig config = new EngineConfig(sinks, listeners, chain, clock, ticker, logId, queueCapacity,
                    maxBatchSize, overflowPolicy, blockTimeout == null ? Duration.ZERO : blockTimeout, delivery,
                    maxAttempts, initialBackoff, maxBackoff, closeTimeout, strict, shutdownHook,
                    new EngineConfig.MdcKeys(mdcTraceId, mdcSpanId, mdcRequestId), Optional.ofNullable(checkpointKey),
                    checkpointEveryRecords, checkpointInterval, anchors, traceContexts(),
                    Optional.ofNullable(rotateKeyFrom), chainId);
            return new AuditLog(Engine.start(config), redactor);
        }

        private List<TraceContextProvider> traceContexts() {
            List<TraceContextProvider> all = new ArrayList<>();
            if (discoverTraceContexts) {
                addFound(all, AuditLog.class.getClassLoader());
                ClassLoader context = Thread.currentThread().getContextClassLoader();
                if (context != null && context != AuditLog.class.getClassLoader()) {
                    addFound(all, context);
                }
            }
            all.addAll(traceContexts);
            return all;
        }

        private static void addFound(List<TraceContextProvider> all, ClassLoader loader) {
            for (TraceContextProvider p : ServiceLoader.load(TraceContextProvider.class, loader)) {
                if (all.stream().noneMatch(q -> q.getClass() == p.getClass())) {
                    all.add(p);
                }
            }
        }

        private static int checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was "
                        + value);
            }
            return value;
        }

        private static Duration checkPositive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        private static String checkNotEmpty(String name, String s) {
            Objects.requireNonNull(s, name);
            if (s.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return s;
        }
    }

    /**
     * The log's redaction as the first interceptor, which the engine calls as an {@link EventRewriter} (no
     * {@code Interception} per event). Here because only {@code AuditLog} may use the engine's types.
     */
    private static final class RedactionStep implements AuditInterceptor, EventRewriter {
        private final Redactor redactor;

        RedactionStep(Redactor redactor) {
            this.redactor = redactor;
        }

        @Override
        public AuditEvent rewrite(AuditEvent event) {
            return redactor.apply(event);
        }

        @Override
        public String name() {
            return redactor.name();
        }

        @Override
        public Interception beforeSeal(AuditEvent event, Call call) {
            return redactor.beforeSeal(event, call);
        }

        @Override
        public Map<String, Object> startedAttributes() {
            return redactor.startedAttributes();
        }
    }
}
