package dev.auditlog.spi;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The newest record a sink holds for one log: its sequence number and chain hash. A log that is reopened
 * resumes its chain from the most advanced head of its sinks, so a sequence number is never reused and the
 * chain never forks.
 */
public final class ChainHead {
    private final long sequence;
    private final byte[] chainHash;

    private ChainHead(long sequence, byte[] chainHash) {
        this.sequence = sequence;
        this.chainHash = chainHash;
    }

    /**
     * @param sequence  sequence number of the newest stored record, {@code >= 0}
     * @param chainHash its 32-byte chain hash
     */
    public static ChainHead of(long sequence, byte[] chainHash) {
        Objects.requireNonNull(chainHash, "chainHash");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        if (chainHash.length != 32) {
            throw new IllegalArgumentException("chainHash must be 32 bytes, was " + chainHash.length);
        }
        return new ChainHead(sequence, chainHash.clone());
    }

    /** Sequence number of the newest stored record. */
    public long sequence() {
        return sequence;
    }

    /** The 32-byte chain hash of the newest stored record (a copy). */
    public byte[] chainHash() {
        return chainHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainHead h && h.sequence == sequence && Arrays.equals(h.chainHash, chainHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(chainHash);
    }

    @Override
    public String toString() {
        return "ChainHead[sequence=" + sequence + ", chain=" + HexFormat.of().formatHex(chainHash) + "]";
    }
}
