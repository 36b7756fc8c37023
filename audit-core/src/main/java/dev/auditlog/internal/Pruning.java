package dev.auditlog.internal;

import dev.auditlog.AuditException;
import dev.auditlog.PruneResult;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.LogPruner;
import dev.auditlog.spi.LogScan;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention that cannot destroy evidence (docs/FORMAT.md section 11): a checkpoint now; every pruning sink's copy of
 * the log verified under the log's key; the cut read back from storage; the signed retention statement sealed into
 * the chain and durable; handed to every anchor; only then the sinks remove the records before it. Any failure
 * before the last step deletes nothing. Runs on the caller's thread.
 */
final class Pruning {
    private Pruning() {
    }

    /** A sink that can remove records, with the reader it is checked through. */
    private record Target(SinkState state, LogPruner pruner, AuditReader reader) {
    }

    static PruneResult prune(EngineConfig config, List<SinkState> states, HandOff handOff, SelfRecords self,
                             Runnable flush, long before, List<VerifierKey> formerKeys) {
        String logId = config.chainId();
        if (config.checkpointKey().isEmpty()) {
            throw new IllegalStateException("prune needs the log's signing key (checkpoints(key)): only the key holder"
                    + " can sign the retention statement that allows removing records");
        }
        if (before < 1) {
            throw new IllegalArgumentException("before must be >= 1 (the first record to keep), was " + before);
        }
        List<Target> targets = new ArrayList<>();
        for (SinkState s : states) {
            var pruner = s.sink.pruner();
            var reader = s.sink.reader();
            if (pruner.isPresent() && reader.isPresent()) {
                targets.add(new Target(s, pruner.get(), reader.get()));
            }
        }
        if (targets.isEmpty()) {
            throw new UnsupportedOperationException("no sink of audit log \"" + logId + "\" supports retention");
        }
        flush.run();
        Pending.Signed checkpoint = Pending.checkpoint();
        handOff.offerSelf(checkpoint);
        checkpoint.await();
        long covered = checkpoint.sequence(); // the checkpoint record at C covers records 0 .. C-1
        if (before > covered) {
            throw new IllegalArgumentException("before " + before + " is past the last checkpoint, which covers the"
                    + " records before " + covered + ": only records a signed checkpoint covers can be removed");
        }
        try {
            return run(config, targets, handOff, self, before, formerKeys);
        } catch (IOException e) {
            throw new AuditException("cannot prune audit log \"" + logId + "\": " + e.getMessage(), e);
        }
    }

    private static PruneResult run(EngineConfig config, List<Target> targets, HandOff handOff, SelfRecords self,
                                   long before, List<VerifierKey> formerKeys) throws IOException {
        String logId = config.chainId();
        LogVerifier.Builder vb = LogVerifier.builder(config.checkpointKey().orElseThrow().verifierKey());
        config.rotateKeyFrom().ifPresent(k -> vb.alsoTrust(k.verifierKey()));
        formerKeys.forEach(vb::alsoTrust);
        LogVerifier verifier = vb.build();
        long cut = Long.MAX_VALUE;
        long first = Long.MAX_VALUE;
        for (Target t : targets) {
            VerificationReport report = verifier.verify(t.reader(), logId);
            if (!report.isValid()) {
                Finding f = report.firstFinding().orElseThrow();
                throw new IOException("the log as " + t.state().sink.name() + " stores it does not verify under its"
                        + " key, so nothing was deleted: " + f);
            }
            first = Math.min(first, report.nextSequence() - report.records());
            cut = Math.min(cut, t.pruner().cutPoint(logId, before));
        }
        if (cut <= first) {
            return new PruneResult(first, -1, List.of(), targets.stream().map(t -> t.state().sink.name()).toList());
        }
        RetentionCut retentionCut = cutAt(targets.get(0).reader(), logId, cut);
        List<String> names = targets.stream().map(t -> t.state().sink.name()).toList();
        self.record(SelfRecords.pruning(before, cut, names));
        Pending.Signed statement = Pending.retention(retentionCut);
        handOff.offerSelf(statement);
        statement.await();
        if (statement.failure != null) {
            throw new IOException("the retention statement could not be made (" + statement.failure.getMessage()
                    + "); nothing was deleted");
        }
        String note = statement.record.statementNote().orElseThrow();
        for (CheckpointAnchor a : config.anchors()) {
            try {
                a.anchorRetention(logId, note);
            } catch (IOException | RuntimeException e) {
                throw new IOException("anchor " + a.name() + " did not take the retention statement (record "
                        + statement.sequence() + "), so nothing was deleted: " + e.getMessage(), e);
            }
        }
        List<String> pruned = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Target t : targets) {
            if (t.pruner().cutPoint(logId, cut) == cut) {
                t.pruner().prune(logId, statement.record);
                pruned.add(t.state().sink.name());
            } else {
                kept.add(t.state().sink.name());
            }
        }
        return new PruneResult(cut, statement.sequence(), pruned, kept);
    }

    /** The Merkle tree and chain head of the records before {@code cut}, read back from storage. */
    private static RetentionCut cutAt(AuditReader reader, String logId, long cut) throws IOException {
        CompactMerkleTree[] tree = {CompactMerkleTree.empty()};
        byte[][] chain = {null};
        reader.scan(logId, new LogScan() {
            @Override
            public long retentionStart(String signedCheckpoint, List<byte[]> range, String location) {
                // Verified by the LogVerifier pass just before: its second line is the first record it keeps.
                long size = Long.parseLong(signedCheckpoint.split("\n", 3)[1]);
                tree[0] = CompactMerkleTree.restore(size, range);
                return size;
            }

            @Override
            public void record(SealedRecord r, String location) {
                if (r.sequence() == tree[0].size() && r.sequence() < cut) {
                    tree[0].append(r.leafHash());
                    chain[0] = r.chainHash();
                }
            }

            @Override
            public void unreadable(long sequenceHint, String location, String message) {
            }

            @Override
            public void storageMismatch(long sequence, String location, String message) {
            }

            @Override
            public void recovered(long sequence, String location, String message) {
            }
        });
        if (tree[0].size() != cut || chain[0] == null) {
            throw new IOException("reading the records before " + cut + " back reached only " + tree[0].size()
                    + "; nothing was deleted");
        }
        return new RetentionCut(cut, tree[0].rootHash(), chain[0], tree[0].subtreeHashes());
    }
}
