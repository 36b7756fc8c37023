package dev.auditlog.integrity;

import java.util.ArrayList;
import java.util.List;

/**
 * Random access to the leaf hashes of a log, used by {@link MerkleProofs} to generate proofs.
 *
 * <p>Implementations may read from memory, a database or files; they must return 32-byte hashes.
 */
public interface LeafHashes {

    /**
     * Returns the number of leaves available.
     *
     * @return the number of leaves, {@code >= 0}
     */
    long size();

    /**
     * Returns the hash of the leaf at {@code index}.
     *
     * @param index 0-based leaf index, {@code 0 <= index < size()}
     * @return the 32-byte leaf hash (the caller will not modify it)
     */
    byte[] leafHash(long index);

    /**
     * Returns an in-memory accessor over a snapshot of the given leaf hashes.
     *
     * @param leafHashes the leaf hashes in order, each 32 bytes
     * @return an immutable accessor
     * @throws NullPointerException if the list or an element is null
     * @throws IllegalArgumentException if an element is not 32 bytes
     */
    static LeafHashes of(List<byte[]> leafHashes) {
        Checks.notNull(leafHashes, "leafHashes");
        List<byte[]> copy = new ArrayList<>(leafHashes.size());
        for (int i = 0; i < leafHashes.size(); i++) {
            copy.add(Checks.copyOfLength(leafHashes.get(i), MerkleHashes.HASH_SIZE, "leafHashes[" + i + "]"));
        }
        return new LeafHashes() {
            @Override
            public long size() {
                return copy.size();
            }

            @Override
            public byte[] leafHash(long index) {
                if (index < 0 || index >= copy.size()) {
                    throw new IndexOutOfBoundsException("index must be in [0, " + copy.size() + "), got " + index);
                }
                return copy.get((int) index).clone();
            }
        };
    }
}
