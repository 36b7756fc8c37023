package dev.auditlog.internal;

import dev.auditlog.AuditException;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a reopened log continues: after the most advanced sink's head. Lagging sinks are brought up to date from
 * the leader's reader; sinks whose chains disagree stop the start, because resuming would fork the chain.
 */
record Resume(long nextSequence, byte[] previousChain, CompactMerkleTree tree) {

    /**
     * @param checkpointEvery when positive, also rebuild the Merkle tree, starting from the last checkpoint record,
     *                        looked for among the last few checkpoint intervals first
     */
    static Resume reconcile(String logId, List<SinkState> sinks, int batchSize, int checkpointEvery)
            throws IOException {
        SinkState leader = null;
        for (SinkState s : sinks) {
            if (s.head != null && (leader == null || s.head.sequence() > leader.head.sequence())) {
                leader = s;
            }
        }
        if (leader == null) {
            return new Resume(0, dev.auditlog.spi.ChainHash.genesis(logId),
                    checkpointEvery > 0 ? CompactMerkleTree.empty() : null);
        }
        for (SinkState s : sinks) {
            if (s == leader) {
                continue;
            }
            if (s.head != null && s.head.sequence() == leader.head.sequence()) {
                if (!Arrays.equals(s.head.chainHash(), leader.head.chainHash())) {
                    throw fork(logId, leader, s, s.head.sequence());
                }
                continue;
            }
            catchUp(logId, leader, s, batchSize);
        }
        CompactMerkleTree tree = checkpointEvery > 0 ? rebuildTree(logId, leader, checkpointEvery) : null;
        return new Resume(leader.head.sequence() + 1, leader.head.chainHash(), tree);
    }

    private static CompactMerkleTree rebuildTree(String logId, SinkState leader, int checkpointEvery)
            throws IOException {
        AuditReader reader = leader.sink.reader().orElseThrow(() -> new AuditException("audit log \"" + logId
                + "\": resuming a log with checkpoints needs a sink that can be read back, and "
                + leader.sink.name() + " cannot"));
        long head = leader.head.sequence();
        long window = Math.max(0, head + 1 - 4L * checkpointEvery - 64);
        CompactMerkleTree tree = scan(reader, logId, window, head);
        if (tree == null) {
            tree = scan(reader, logId, 0, head);
        }
        return tree;
    }

    /** The tree after record {@code head}, or null when no checkpoint was found after a non-zero start. */
    private static CompactMerkleTree scan(AuditReader reader, String logId, long from, long head) throws IOException {
        CompactMerkleTree tree = from == 0 ? CompactMerkleTree.empty() : null;
        try (Stream<SealedRecord> records = reader.read(logId, from)) {
            Iterator<SealedRecord> it = records.iterator();
            while (it.hasNext()) {
                SealedRecord r = it.next();
                if (r.sequence() > head) {
                    break;
                }
                Optional<List<byte[]>> range = r.checkpointRange();
                if (range.isPresent()) {
                    tree = CompactMerkleTree.restore(r.sequence(), range.get());
                }
                if (tree != null) {
                    tree.append(r.leafHash());
                }
            }
        }
        if (tree != null && tree.size() != head + 1) {
            throw new AuditException("audit log \"" + logId + "\": rebuilding the Merkle tree reached size "
                    + tree.size() + ", expected " + (head + 1));
        }
        return tree;
    }

    private static void catchUp(String logId, SinkState leader, SinkState behind, int batchSize) throws IOException {
        long from = behind.head == null ? 0 : behind.head.sequence();
        Optional<AuditReader> reader = leader.sink.reader();
        if (reader.isEmpty()) {
            throw new AuditException("audit log \"" + logId + "\": sink " + leader.sink.name() + " holds records up to "
                    + leader.head.sequence() + " but sink " + behind.sink.name() + " only up to "
                    + (behind.head == null ? "none" : behind.head.sequence()) + ", and " + leader.sink.name()
                    + " cannot be read back to bring it up to date");
        }
        try (Stream<SealedRecord> records = reader.get().read(logId, from)) {
            Iterator<SealedRecord> it = records.iterator();
            List<SealedRecord> batch = new ArrayList<>(batchSize);
            long expected = from;
            while (it.hasNext()) {
                SealedRecord r = it.next();
                if (r.sequence() != expected) {
                    throw new AuditException("audit log \"" + logId + "\": sink " + leader.sink.name()
                            + " returned record " + r.sequence() + " where " + expected + " was expected");
                }
                expected++;
                if (behind.head != null && r.sequence() == behind.head.sequence()) {
                    if (!Arrays.equals(r.chainHash(), behind.head.chainHash())) {
                        throw fork(logId, leader, behind, r.sequence());
                    }
                    continue;
                }
                batch.add(r);
                if (batch.size() == batchSize) {
                    behind.sink.write(batch);
                    batch = new ArrayList<>(batchSize);
                }
                if (r.sequence() == leader.head.sequence()) {
                    break;
                }
            }
            if (!batch.isEmpty()) {
                behind.sink.write(batch);
            }
            if (expected != leader.head.sequence() + 1) {
                throw new AuditException("audit log \"" + logId + "\": sink " + leader.sink.name() + " reports records"
                        + " up to " + leader.head.sequence() + " but reading it back ended at " + (expected - 1));
            }
        }
    }

    private static AuditException fork(String logId, SinkState a, SinkState b, long seq) {
        HexFormat hex = HexFormat.of();
        ChainHead ha = a.head;
        return new AuditException("audit log \"" + logId + "\": sinks " + a.sink.name() + " and " + b.sink.name()
                + " disagree on the chain at sequence " + seq + " (" + hex.formatHex(ha.chainHash()) + " vs "
                + hex.formatHex(b.head.chainHash()) + "); refusing to resume, which would fork the chain");
    }
}
