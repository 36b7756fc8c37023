package dev.auditlog.internal;

import java.util.List;

/**
 * Where a prune cuts a log: the first record that stays, the Merkle root and compact range of the records before it,
 * and the chain hash of the last of them, as read back from storage.
 */
record RetentionCut(long first, byte[] root, byte[] chainHead, List<byte[]> range) {
}
