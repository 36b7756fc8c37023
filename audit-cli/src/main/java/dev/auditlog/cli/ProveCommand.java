package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.LeafHashes;
import dev.auditlog.integrity.MerkleProofs;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "prove", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog prove inclusion file:/var/audit --seq 42",
                "  auditlog prove consistency jdbc:postgresql://db/audit --from 1000",
                "  auditlog prove check --proof p.json --public-key k.pub --leaf-hash HEX"},
        description = "Print RFC 9162 inclusion or consistency proofs against the log's latest"
        + " signed checkpoint, and check such a proof with the public key alone (prove check). The log's chain"
        + " and the checkpoint's root hash are verified first: exit 1 with the finding when they do not.",
        subcommands = {ProveCommand.Inclusion.class, ProveCommand.Consistency.class, ProofCheck.class})
final class ProveCommand {

    /**
     * The leaf hashes of records [0, size) and the newest checkpoint note, read from a log, and what is wrong with the
     * log up to that checkpoint (empty when its chain and the checkpoint's root hash verify).
     */
    record Tree(List<byte[]> leaves, long size, String note, List<String> findings) {
    }

    static Tree load(LogLocation log) throws IOException {
        Stores.Store store = log.store.store();
        try (AuditReader reader = store.reader()) {
            String id = VerifyCommand.singleLog(reader, log.logId, store);
            List<byte[]> leaves = new ArrayList<>();
            List<SealedRecord> unverified = new ArrayList<>();
            long size = -1;
            String note = null;
            // The chain is verified as it is read, up to the newest checkpoint: a proof over a log that does not
            // verify would print a root hash the signed checkpoint does not hold.
            ChainVerifier chain = ChainVerifier.fromGenesis(id);
            try (Stream<SealedRecord> s = reader.read(id, 0)) {
                for (Iterator<SealedRecord> it = s.iterator(); it.hasNext(); ) {
                    SealedRecord r = it.next();
                    unverified.add(r);
                    if (r.checkpointNote().isPresent()) {
                        size = r.sequence();
                        note = r.checkpointNote().get();
                        unverified.forEach(chain::accept);
                        unverified.clear();
                    }
                    leaves.add(r.leafHash());
                }
            }
            if (note == null) {
                throw new IOException("log " + id + " in " + store.display() + " has no checkpoint to prove against");
            }
            List<String> findings = new ArrayList<>();
            chain.finish().findings().forEach(f -> findings.add(f.toString()));
            try {
                Checkpoint cp = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
                byte[] root = MerkleProofs.rootHash(LeafHashes.of(leaves), size);
                if (cp.size() != size || !java.util.Arrays.equals(cp.rootHash(), root)) {
                    findings.add("the records 0.." + (size - 1) + " hash to root " + Base64.getEncoder()
                            .encodeToString(root) + ", but the checkpoint at record " + size + " signs size "
                            + cp.size() + " with root " + Base64.getEncoder().encodeToString(cp.rootHash()));
                }
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                findings.add("the checkpoint at record " + size + " is malformed: " + e.getMessage());
            }
            return new Tree(leaves, size, note, findings);
        }
    }

    /** No proof over a log that does not verify: the finding, and exit 1. */
    static int notVerified(CommandSpec spec, Tree tree) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("auditlog: no proof: the log does not verify up to the checkpoint of size " + tree.size() + " ("
                + tree.findings().size() + " finding(s)); run auditlog verify for the full report");
        tree.findings().stream().limit(5).forEach(f -> err.println("  " + f));
        return Main.INVALID;
    }

    static void write(PrintWriter out, String kind, Tree tree, long a, List<byte[]> proof, byte[] leaf)
            throws IOException {
        JsonGenerator g = JsonOutput.pretty(out);
        g.writeStartObject();
        g.writeStringField("proof", kind);
        if (kind.equals("inclusion")) {
            g.writeNumberField("leafIndex", a);
            g.writeStringField("leafHash", Base64.getEncoder().encodeToString(leaf));
        } else {
            g.writeNumberField("oldSize", a);
            g.writeStringField("oldRoot", Base64.getEncoder().encodeToString(
                    MerkleProofs.rootHash(LeafHashes.of(tree.leaves()), a)));
        }
        g.writeNumberField("treeSize", tree.size());
        g.writeStringField("rootHash", Base64.getEncoder().encodeToString(
                MerkleProofs.rootHash(LeafHashes.of(tree.leaves()), tree.size())));
        g.writeArrayFieldStart("hashes");
        for (byte[] h : proof) {
            g.writeString(Base64.getEncoder().encodeToString(h));
        }
        g.writeEndArray();
        g.writeStringField("checkpoint", tree.note());
        g.writeEndObject();
        g.flush();
        out.println();
    }

    /** Which log a proof is about: shared by both proofs. */
    static final class LogLocation {
        @Mixin
        StoreOptions store;

        @Option(names = "--log", description = "Log id (default: the only log in the store).")
        String logId;
    }

    @Command(name = "inclusion", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  auditlog prove inclusion file:/var/audit --seq 42 > proof.json",
                    "  auditlog prove inclusion jdbc:postgresql://db/audit --log payments --seq 7"},
            description = "Prove that record --seq is in the tree of the latest checkpoint.")
    static final class Inclusion implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LogLocation log;

        @Option(names = "--seq", required = true, description = "Sequence number of the record.")
        long seq;

        @Override
        public Integer call() throws Exception {
            Tree tree = load(log);
            if (!tree.findings().isEmpty()) {
                return notVerified(spec, tree);
            }
            if (seq < 0 || seq >= tree.size()) {
                throw new IllegalArgumentException("--seq must be in [0, " + tree.size()
                        + ") (the latest checkpoint's tree size), was " + seq);
            }
            List<byte[]> proof = MerkleProofs.inclusionProof(LeafHashes.of(tree.leaves()), seq, tree.size());
            write(spec.commandLine().getOut(), "inclusion", tree, seq, proof, tree.leaves().get((int) seq));
            return Main.VALID;
        }
    }

    @Command(name = "consistency", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n",
            footer = {"  auditlog prove consistency file:/var/audit --from 1000 > proof.json",
                    "  auditlog prove consistency jdbc:postgresql://db/audit --log pay --from 500"},
            description = "Prove that the tree of size --from is a prefix of the latest"
            + " checkpoint's tree.")
    static final class Consistency implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LogLocation log;

        @Option(names = "--from", required = true, description = "The older tree size.")
        long from;

        @Override
        public Integer call() throws Exception {
            Tree tree = load(log);
            if (!tree.findings().isEmpty()) {
                return notVerified(spec, tree);
            }
            if (from < 1 || from > tree.size()) {
                throw new IllegalArgumentException("--from must be in [1, " + tree.size() + "], was " + from);
            }
            List<byte[]> proof = from == tree.size() ? List.of()
                    : MerkleProofs.consistencyProof(LeafHashes.of(tree.leaves()), from, tree.size());
            write(spec.commandLine().getOut(), "consistency", tree, from, proof, null);
            return Main.VALID;
        }
    }
}
