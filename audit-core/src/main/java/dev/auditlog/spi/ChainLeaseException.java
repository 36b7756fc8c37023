package dev.auditlog.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * Thrown by {@link AuditSink#open(String)} when another writer holds the chain's lease: a store lets one writer
 * at a time append to a chain. {@link dev.auditlog.AuditLog.Builder#build()} fails with it, so a misconfigured
 * replica stops at start instead of forking the chain or losing records. The message names the chain, the holder
 * and what to change.
 */
public final class ChainLeaseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String chainId;
    private final String holder;

    /**
     * @param chainId the chain whose lease is taken
     * @param holder  who holds it, as the store knows it ({@link #describeThisProcess} of the holder), or a
     *                description such as {@code "an unknown holder"}
     * @param where   the store and the lease mechanism, for example {@code "advisory lock 123 at
     *                jdbc:postgresql://db/app"}; no secrets
     */
    public ChainLeaseException(String chainId, String holder, String where) {
        super("chain " + chainId + " is already being written by " + holder + " (" + where + "): a store allows"
                + " one writer per chain. Give each process its own instance id (AuditLog.Builder.instanceId(...),"
                + " -D" + ChainIds.INSTANCE_PROPERTY + "=... or " + ChainIds.INSTANCE_ENV + "=...), or stop the"
                + " other writer first");
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.holder = Objects.requireNonNull(holder, "holder");
    }

    /** The chain whose lease is taken. */
    public String chainId() {
        return chainId;
    }

    /** Who holds the lease, as the store recorded it. */
    public String holder() {
        return holder;
    }

    /**
     * How a store records this process as a chain's lease holder: {@code instance <id>, host <host>, pid <pid>,
     * since <time>}. Stores write it where the next writer can read it (a lock file, a table row).
     */
    public static String describeThisProcess(String chainId, Instant since) {
        return "instance " + ChainIds.instanceOf(chainId).orElse("(none)") + ", host " + ChainIds.hostName()
                + ", pid " + ProcessHandle.current().pid() + ", since " + since;
    }
}
