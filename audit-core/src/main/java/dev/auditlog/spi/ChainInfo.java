package dev.auditlog.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One chain of a log as a store's registry knows it ({@link AuditReader#chains(String)}).
 *
 * @param chainId          the chain ({@link ChainIds})
 * @param latestCheckpoint the latest signed checkpoint note the registry holds for the chain (C2SP signed note,
 *                         see {@code docs/FORMAT.md}), or empty when it holds none
 */
public record ChainInfo(String chainId, Optional<String> latestCheckpoint) {

    /** Validates the components. */
    public ChainInfo {
        ChainIds.check(chainId);
        Objects.requireNonNull(latestCheckpoint, "latestCheckpoint");
    }
}
