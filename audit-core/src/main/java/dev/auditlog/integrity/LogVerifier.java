package dev.auditlog.integrity;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one way to verify a stored log, whatever stores it: give it the log's pinned public key (and, best, the anchor
 * that keeps its checkpoints off the log), then {@link #verify(AuditReader, String)} walks the log through the
 * store's {@link AuditReader#scan(String, dev.auditlog.spi.LogScan) scan} — records and the store's own structure —
 * into a {@link ChainVerifier} and returns the verdict with every end-of-log check done.
 *
 * <pre>{@code
 * LogVerifier verifier = LogVerifier.builder(Ed25519Keys.readVerifierKey(Path.of("auditlog.pub")))
 *         .anchor(CheckpointAnchor.directory(Path.of("/mnt/witness")))
 *         .build();
 * try (AuditReader reader = FileAuditReader.open(Path.of("/var/log/audit"))) {
 *     VerificationReport report = verifier.verify(reader, "orders");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; one instance may verify many logs, one call per log.
 */
public final class LogVerifier {
    private final List<VerifierKey> keys;
    private final CheckpointAnchor anchor;
    private final Duration maxStaleness;
    private final Clock clock;
    private final Consumer<SealedRecord> progress;

    private LogVerifier(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.anchor = b.anchor;
        this.maxStaleness = b.maxStaleness;
        this.clock = b.clock;
        this.progress = b.progress;
    }

    /**
     * A builder for a verifier that trusts {@code key}, and only it: checkpoints in the log and the anchored
     * checkpoint must verify under it. A key found in the log proves nothing.
     */
    public static Builder builder(VerifierKey key) {
        return new Builder(Objects.requireNonNull(key, "key"));
    }

    /**
     * Verifies log {@code logId} as {@code reader} stores it. Every problem in the stored data becomes a finding;
     * only failing to read the log at all throws. A log the store does not hold but the anchor has a checkpoint of
     * is reported as {@link Finding.Kind#TRUNCATED} at 0 (deleted whole), not as an error reading it.
     *
     * @throws IOException when the log cannot be read, or the anchor cannot be read
     * @throws IllegalArgumentException when {@code logId} breaks the chain id rule ({@link ChainIds})
     */
    public VerificationReport verify(AuditReader reader, String logId) throws IOException {
        Objects.requireNonNull(reader, "reader");
        ChainIds.check(logId);
        ChainVerifier.Builder b = ChainVerifier.builder(logId).publicKey(keys.get(0));
        keys.subList(1, keys.size()).forEach(b::alsoTrust);
        boolean anchored = false;
        if (anchor != null) {
            Optional<String> latest = anchor.latest(logId);
            if (latest.isPresent()) {
                b.anchored(latest.get());
                anchored = true;
            }
            anchor.latestRetention(logId).ifPresent(b::anchoredRetention);
        }
        if (maxStaleness != null) {
            b.maxStaleness(maxStaleness, clock);
        }
        ChainVerifier v = b.build();
        if (anchored && !reader.chainIds().contains(logId)) {
            // THREATS.md row 9: the anchor proves the log existed; with no records it is reported as cut off at 0.
            return v.finish();
        }
        v.readFrom(reader, progress);
        return v.finish();
    }

    @Override
    public String toString() {
        return "LogVerifier[keys=" + keys.stream().map(VerifierKey::name).toList() + (anchor == null ? "" : ", anchor=" + anchor.name())
                + (maxStaleness == null ? "" : ", maxStaleness=" + maxStaleness) + "]";
    }

    /** Configures a {@link LogVerifier}. Each setter checks its argument at once. */
    public static final class Builder {
        private final List<VerifierKey> keys = new ArrayList<>();
        private CheckpointAnchor anchor;
        private Duration maxStaleness;
        private Clock clock = Clock.systemUTC();
        private Consumer<SealedRecord> progress = record -> { };

        private Builder(VerifierKey key) {
            keys.add(key);
        }

        /**
         * Trusts another key too, for a log whose signing key was rotated (docs/FORMAT.md section 12): the log's first
         * signed note must be by a trusted key, which is then the log's key until a key rotation record signed by it
         * introduces the next one (followed whether or not that one is trusted). A note by any other key, trusted or
         * not, is a finding: an undeclared key change.
         */
        public Builder alsoTrust(VerifierKey key) {
            keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Where the log's latest checkpoint is kept off the log: each log is checked against
         * {@link CheckpointAnchor#latest(String)} (the log must hold it and must not be shorter). A log the anchor
         * has no checkpoint for is verified without.
         */
        public Builder anchor(CheckpointAnchor anchor) {
            this.anchor = Objects.requireNonNull(anchor, "anchor");
            return this;
        }

        /** Warn ({@link Finding.Kind#STALE}) when the last checkpoint is older than this, measured with {@code clock}. */
        public Builder maxStaleness(Duration maxStaleness, Clock clock) {
            Objects.requireNonNull(maxStaleness, "maxStaleness");
            Objects.requireNonNull(clock, "clock");
            if (maxStaleness.isNegative() || maxStaleness.isZero()) {
                throw new IllegalArgumentException("maxStaleness must be positive, was " + maxStaleness);
            }
            this.maxStaleness = maxStaleness;
            this.clock = clock;
            return this;
        }

        /** Told each record checked, for progress reports; must be quick and must not keep the record. */
        public Builder progress(Consumer<SealedRecord> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** Builds the verifier. */
        public LogVerifier build() {
            return new LogVerifier(this);
        }
    }
}
