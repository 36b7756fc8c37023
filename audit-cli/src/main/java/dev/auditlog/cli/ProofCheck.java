package dev.auditlog.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.MerkleProofs;
import dev.auditlog.integrity.NoteVerificationException;
import dev.auditlog.integrity.ProofException;
import dev.auditlog.integrity.VerifierKey;
import dev.auditlog.spi.SealedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code auditlog prove check}: checks a proof printed by {@code prove inclusion} or {@code prove consistency}
 * against the signed checkpoint it carries, with the log's public key alone. The proof file format is in
 * {@code docs/FORMAT.md}, section 8. Exit 0 valid, 1 invalid, 3 usage or I/O error.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog prove check --proof p.json --public-key k.pub --leaf-line r.json",
                "  auditlog prove check --proof c.json --public-key k.pub \\",
                "      --old-checkpoint anchor/default.checkpoint"},
        description = "Check a proof printed by prove inclusion or prove consistency against the"
        + " signed checkpoint it carries, with the public key alone (no access to the log). Exit 0 valid, 1 invalid"
        + " (wrong root, bad signature, altered proof, other leaf), 3 usage or I/O error.")
final class ProofCheck implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--proof", required = true, description = "The proof file (JSON, as prove printed it).")
    Path proofFile;

    @Option(names = "--public-key", required = true, description = "The log's public key file, obtained out of band.")
    Path publicKey;

    @Option(names = "--leaf-line", description = "Inclusion: a file holding the record line whose inclusion is to be"
            + " checked (as tail --raw prints it). Without this or --leaf-hash, the proof's own leafHash is checked.")
    Path leafLine;

    @Option(names = "--leaf-hash", description = "Inclusion: the record's leaf hash, 64 hex digits or base64.")
    String leafHash;

    @Option(names = "--old-checkpoint", description = "Consistency: a signed checkpoint of the older tree you hold"
            + " (such as an anchor's LOG.checkpoint file); its size and root must be the proof's oldSize and oldRoot,"
            + " which makes the check mean that the log you saw then was not rewritten since.")
    Path oldCheckpoint;

    /** A proof that does not check out: exit 1, with the reason. */
    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (leafLine != null && leafHash != null) {
            throw new IllegalArgumentException("give --leaf-line or --leaf-hash, not both");
        }
        byte[] expectedLeaf = expectedLeaf();
        VerifierKey key = KeyFiles.publicKey(publicKey);
        String oldNote = oldCheckpoint == null ? null : Files.readString(oldCheckpoint, StandardCharsets.UTF_8);
        Map<String, Object> proof = read(proofFile);
        PrintWriter out = spec.commandLine().getOut();
        try {
            out.println("VALID: " + check(proof, key, expectedLeaf, oldNote));
            return Main.VALID;
        } catch (Invalid e) {
            out.println("INVALID: " + e.getMessage());
            return Main.INVALID;
        }
    }

    private String check(Map<String, Object> proof, VerifierKey key, byte[] expectedLeaf, String oldNote)
            throws Invalid {
        String kind = string(proof, "proof");
        if (!kind.equals("inclusion") && (expectedLeaf != null)) {
            throw new IllegalArgumentException("--leaf-line and --leaf-hash are for inclusion proofs; " + proofFile
                    + " is a " + kind + " proof");
        }
        if (!kind.equals("consistency") && oldNote != null) {
            throw new IllegalArgumentException("--old-checkpoint is for consistency proofs; " + proofFile + " is a "
                    + kind + " proof");
        }
        Checkpoint cp;
        try {
            cp = Checkpoint.verify(string(proof, "checkpoint"), key);
        } catch (NoteVerificationException e) {
            throw new Invalid("the proof's checkpoint does not verify with key " + key.name() + " ("
                    + key.keyIdHex() + "): " + e.getMessage());
        }
        long treeSize = number(proof, "treeSize");
        if (cp.size() != treeSize) {
            throw new Invalid("treeSize " + treeSize + " is not the signed checkpoint's size " + cp.size());
        }
        if (!MessageDigest.isEqual(hash(proof, "rootHash"), cp.rootHash())) {
            throw new Invalid("rootHash is not the signed checkpoint's root hash");
        }
        List<byte[]> hashes = hashes(proof);
        String signed = " (checkpoint " + cp.origin() + ", size " + cp.size()
                + cp.time().map(t -> ", made " + t).orElse("") + ", signed by " + key.name() + ")";
        try {
            if (kind.equals("inclusion")) {
                long index = number(proof, "leafIndex");
                byte[] leaf = expectedLeaf != null ? expectedLeaf : hash(proof, "leafHash");
                if (leafLine != null) {
                    long seq = SealedRecord.parse(leafBytes()).sequence();
                    if (seq != index) {
                        throw new Invalid("the record in " + leafLine + " is seq " + seq + ", the proof is for leaf "
                                + index);
                    }
                }
                MerkleProofs.checkInclusion(index, treeSize, leaf, hashes, cp.rootHash());
                return "leaf " + index + " (leaf hash " + HexFormat.of().formatHex(leaf) + (expectedLeaf == null
                        ? ", taken from the proof" : "") + ") is in the tree" + signed;
            } else if (kind.equals("consistency")) {
                long oldSize = number(proof, "oldSize");
                byte[] oldRoot = hash(proof, "oldRoot");
                String held = "";
                if (oldNote != null) {
                    Checkpoint old;
                    try {
                        old = Checkpoint.verify(oldNote, key);
                    } catch (NoteVerificationException e) {
                        throw new Invalid("--old-checkpoint " + oldCheckpoint + " does not verify with key "
                                + key.name() + ": " + e.getMessage());
                    }
                    if (old.size() != oldSize || !MessageDigest.isEqual(old.rootHash(), oldRoot)) {
                        throw new Invalid("the proof's oldSize " + oldSize + " and oldRoot are not those of"
                                + " --old-checkpoint (size " + old.size() + ")");
                    }
                    if (!old.origin().equals(cp.origin())) {
                        throw new Invalid("--old-checkpoint is of " + old.origin() + ", the proof of " + cp.origin());
                    }
                    held = " (your signed checkpoint of size " + oldSize + ")";
                }
                MerkleProofs.checkConsistency(oldSize, treeSize, oldRoot, cp.rootHash(), hashes);
                return "the tree of size " + oldSize + " with root " + Base64.getEncoder().encodeToString(oldRoot)
                        + held + " is a prefix of the tree" + signed;
            }
            throw new Invalid("\"proof\" must be \"inclusion\" or \"consistency\", was \"" + kind + "\"");
        } catch (ProofException e) {
            throw new Invalid("the " + kind + " proof does not hold: " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    /** The leaf hash the user holds (from --leaf-line or --leaf-hash), or null. */
    private byte[] expectedLeaf() throws IOException {
        if (leafLine != null) {
            try {
                return SealedRecord.parse(leafBytes()).leafHash();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--leaf-line " + leafLine + " does not hold a record line: "
                        + e.getMessage(), e);
            }
        }
        if (leafHash != null) {
            byte[] h = decodeHash(leafHash.trim());
            if (h == null) {
                throw new IllegalArgumentException("--leaf-hash must be 32 bytes as 64 hex digits or base64, was \""
                        + leafHash + "\"");
            }
            return h;
        }
        return null;
    }

    /** The one record line in --leaf-line, without its line terminator. */
    private byte[] leafBytes() throws IOException {
        String text = Files.readString(leafLine, StandardCharsets.UTF_8);
        List<String> lines = text.lines().filter(l -> !l.isEmpty()).toList();
        if (lines.size() != 1) {
            throw new IllegalArgumentException("--leaf-line " + leafLine + " must hold exactly one record line, has "
                    + lines.size());
        }
        return lines.get(0).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] decodeHash(String s) {
        try {
            if (s.length() == 64) {
                return HexFormat.of().parseHex(s);
            }
            byte[] b = Base64.getDecoder().decode(s);
            return b.length == 32 ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the proof file

    /** The proof file as a JSON object of strings, numbers and arrays; not JSON at all is a usage error. */
    private static Map<String, Object> read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try (JsonParser p = new JsonFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("--proof " + file + " is not a proof printed by auditlog prove"
                        + " (not a JSON object)");
            }
            Map<String, Object> m = object(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("--proof " + file + " has more than one JSON value");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--proof " + file + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            m.put(name, value(p, p.nextToken()));
        }
        return m;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT:
                return object(p);
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_STRING:
                return p.getText();
            default:
                return p.getText();
        }
    }

    private static String string(Map<String, Object> proof, String field) throws Invalid {
        if (!(proof.get(field) instanceof String s)) {
            throw new Invalid("the proof has no string \"" + field + "\"");
        }
        return s;
    }

    private static long number(Map<String, Object> proof, String field) throws Invalid {
        if (!(proof.get(field) instanceof Long n)) {
            throw new Invalid("the proof has no integer \"" + field + "\"");
        }
        return n;
    }

    private static byte[] hash(Map<String, Object> proof, String field) throws Invalid {
        return base64Hash(string(proof, field), "\"" + field + "\"");
    }

    private static byte[] base64Hash(String s, String what) throws Invalid {
        try {
            byte[] b = Base64.getDecoder().decode(s);
            if (b.length != 32) {
                throw new Invalid(what + " must be 32 bytes in base64, has " + b.length);
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new Invalid(what + " is not base64: " + e.getMessage());
        }
    }

    private static List<byte[]> hashes(Map<String, Object> proof) throws Invalid {
        if (!(proof.get("hashes") instanceof List<?> l)) {
            throw new Invalid("the proof has no array \"hashes\"");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof String s)) {
                throw new Invalid("hashes[" + i + "] is not a string");
            }
            out.add(base64Hash(s, "hashes[" + i + "]"));
        }
        return out;
    }
}
