package dev.auditlog.integrity;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.LogIds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Verifies a whole log: every chain its instances wrote ({@link dev.auditlog.spi.ChainIds}), each with a
 * {@link LogVerifier}, and the log's chains against the store's chain registry
 * ({@link AuditReader#chains(String)}), so that a chain removed as a whole is found, not only a short one.
 *
 * <pre>{@code
 * WholeLogVerifier.Report report = new WholeLogVerifier(LogVerifier.builder(key).anchor(witness).build())
 *         .verify(reader, "orders");
 * }</pre>
 *
 * <p>Findings about the log as a whole ({@link Finding.Kind#CHAIN_MISSING}) are in {@link Report#findings()};
 * each chain's own in its {@link VerificationReport}. Immutable and thread-safe.
 */
public final class WholeLogVerifier {
    private final Function<String, LogVerifier> chains;

    /** A verifier that checks each chain with {@code chainVerifier} (its key, anchor and staleness limit). */
    public WholeLogVerifier(LogVerifier chainVerifier) {
        Objects.requireNonNull(chainVerifier, "chainVerifier");
        this.chains = id -> chainVerifier;
    }

    /**
     * A verifier that checks each chain with the {@link LogVerifier} {@code perChain} gives for its chain id, for
     * callers that want something per chain, such as a progress report.
     */
    public WholeLogVerifier(Function<String, LogVerifier> perChain) {
        this.chains = Objects.requireNonNull(perChain, "perChain");
    }

    /**
     * Verifies every chain of log {@code logId} as {@code reader} stores it.
     *
     * @throws IOException              when the store holds no chain of the log, or a chain cannot be read at all
     * @throws IllegalArgumentException when {@code logId} breaks the log id rule
     */
    public Report verify(AuditReader reader, String logId) throws IOException {
        return verify(reader, logId, Set.of());
    }

    /**
     * Verifies every chain of log {@code logId} as {@code reader} stores it, and expects the chains of the log among
     * {@code alsoExpected} too (chain ids known elsewhere, such as the chains an anchor holds checkpoints of): one
     * the store lacks is {@link Finding.Kind#CHAIN_MISSING}.
     *
     * @throws IOException when neither the store nor {@code alsoExpected} knows a chain of the log
     */
    public Report verify(AuditReader reader, String logId, Set<String> alsoExpected) throws IOException {
        Objects.requireNonNull(reader, "reader");
        LogIds.check(logId);
        Map<String, ChainInfo> known = new TreeMap<>();
        for (ChainInfo c : reader.chains(logId)) {
            known.put(c.chainId(), c);
        }
        for (String id : alsoExpected) {
            if (ChainIds.belongsTo(id, logId)) {
                known.putIfAbsent(id, new ChainInfo(id, java.util.Optional.empty()));
            }
        }
        List<ChainInfo> registered = new ArrayList<>(known.values());
        Set<String> stored = reader.chainIds();
        if (registered.isEmpty()) {
            throw new IOException("the store holds no chain of log " + logId);
        }
        Map<String, VerificationReport> reports = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        for (ChainInfo chain : registered) {
            String id = chain.chainId();
            long registeredSize = chain.latestCheckpoint().map(WholeLogVerifier::size).orElse(-1L);
            if (!stored.contains(id)) {
                findings.add(new Finding(Finding.Kind.CHAIN_MISSING, -1, "chain " + id, "the store's chain registry"
                        + " (or the anchor) lists chain " + id + (registeredSize >= 0 ? " with a checkpoint of " + registeredSize
                        + " record(s)" : "") + " but holds none of its records: the chain was removed"));
                continue;
            }
            VerificationReport r = chains.apply(id).verify(reader, id);
            reports.put(id, r);
            // A checkpoint of size n is itself record n (FORMAT.md section 5): the chain must reach it.
            if (registeredSize >= r.nextSequence()) {
                findings.add(new Finding(Finding.Kind.CHAIN_MISSING, r.nextSequence(), "chain " + id,
                        "the store's chain registry holds a checkpoint of " + registeredSize + " record(s) for chain "
                                + id + " (record " + registeredSize + ") but the chain ends before record "
                                + r.nextSequence() + ": its tail was removed"));
            }
        }
        return new Report(logId, reports, findings);
    }

    /** The size of a registered checkpoint note, or -1 when it cannot be parsed (the chain's verifier judges it). */
    private static long size(String note) {
        int end = note.indexOf("\n\n");
        try {
            return end < 0 ? -1 : Checkpoint.parse(note.substring(0, end + 1)).size();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "WholeLogVerifier";
    }

    /**
     * The outcome for a whole log.
     *
     * @param logId    the log
     * @param chains   each stored chain's report, by chain id
     * @param findings findings about the log as a whole: chains the registry lists that are missing or short
     */
    public record Report(String logId, Map<String, VerificationReport> chains, List<Finding> findings) {

        /** Copies the components. */
        public Report {
            Objects.requireNonNull(logId, "logId");
            chains = Collections.unmodifiableMap(new TreeMap<>(chains));
            findings = List.copyOf(findings);
        }

        /** True when every chain is valid and no chain is missing. */
        public boolean isValid() {
            return findings.stream().allMatch(Finding::isWarning)
                    && chains.values().stream().allMatch(VerificationReport::isValid);
        }

        /** True when any chain has a warning. */
        public boolean hasWarnings() {
            return findings.stream().anyMatch(Finding::isWarning)
                    || chains.values().stream().anyMatch(VerificationReport::hasWarnings);
        }

        /** Records checked, over all chains. */
        public long records() {
            return chains.values().stream().mapToLong(VerificationReport::records).sum();
        }

        /** The instance ids of the chains checked (a chain without one shows as its log id). */
        public List<String> instances() {
            return chains.keySet().stream().map(id -> ChainIds.instanceOf(id).orElse(id)).toList();
        }
    }
}
