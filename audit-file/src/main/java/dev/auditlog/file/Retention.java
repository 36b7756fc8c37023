package dev.auditlog.file;

import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.SealedRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Retention: whole old segments are deleted only after a signed checkpoint of everything before the new first
 * record is stored beside the log ({@code pruned.checkpoint}, the signed note, and {@code pruned.range}, its compact
 * Merkle range, one base64 hash per line), so that a verifier can start there. See docs/FILE-FORMAT.md.
 */
final class Retention {
    public static final String CHECKPOINT_FILE = "pruned.checkpoint";
    public static final String RANGE_FILE = "pruned.range";

    private Retention() {
    }

    /** The retention checkpoint of a log and its range, when the log was pruned. */
    public record Pruned(String note, List<byte[]> range) {
    }

    public static Optional<Pruned> read(Path logDir) throws IOException {
        Path note = logDir.resolve(CHECKPOINT_FILE);
        Path range = logDir.resolve(RANGE_FILE);
        if (!Files.exists(note) && !Files.exists(range)) {
            return Optional.empty();
        }
        List<byte[]> hashes = new ArrayList<>();
        for (String line : Files.readAllLines(range, StandardCharsets.US_ASCII)) {
            if (!line.isEmpty()) {
                try {
                    hashes.add(Base64.getDecoder().decode(line));
                } catch (IllegalArgumentException e) {
                    throw new IOException(range + ": not base64: " + e.getMessage());
                }
            }
        }
        return Optional.of(new Pruned(Files.readString(note, StandardCharsets.UTF_8), hashes));
    }

    /**
     * Deletes the whole segments before the newest segment boundary at or before {@code before}, after storing the
     * retention checkpoint at that boundary; returns the log's first sequence afterwards.
     */
    public static long prune(Path dir, String logId, long before, SigningKey key, Instant now) throws IOException {
        Path logDir = dir.resolve(logId);
        List<Segments.SegmentFile> files = Segments.list(logDir);
        if (files.size() < 2) {
            return files.isEmpty() ? 0 : files.get(0).first();
        }
        int keepFrom = keepFrom(files, before);
        long cut = files.get(keepFrom).first();
        if (keepFrom == 0) {
            return cut;
        }
        Range range = rangeBefore(dir, logId, cut, key);
        String note = Checkpoint.of(Checkpoint.origin(logId), cut, range.tree().rootHash()).withChainHash(range.chain())
                .withTime(now).sign(key);
        store(logDir, note, range.tree());
        for (int i = 0; i < keepFrom; i++) {
            Path p = files.get(i).path();
            p.toFile().setWritable(true, true);
            Files.delete(p);
        }
        Fs.fsyncDirectory(logDir);
        return cut;
    }

    /** The newest segment boundary at or before {@code before}; the last segment (the one being written) stays. */
    private static int keepFrom(List<Segments.SegmentFile> files, long before) {
        int keepFrom = 0;
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i).first() <= before) {
                keepFrom = i;
            }
        }
        return keepFrom;
    }

    /** The Merkle tree of records {@code 0 .. cut-1} and the chain hash of record {@code cut-1}. */
    private record Range(CompactMerkleTree tree, byte[] chain) {
    }

    /** Builds the range from the previous retention checkpoint (verified with {@code key}) or from record 0. */
    private static Range rangeBefore(Path dir, String logId, long cut, SigningKey key) throws IOException {
        Path logDir = dir.resolve(logId);
        Optional<Pruned> earlier = read(logDir);
        CompactMerkleTree tree;
        if (earlier.isPresent()) {
            Checkpoint cp;
            try {
                cp = Checkpoint.verify(earlier.get().note(), key.verifierKey(), Checkpoint.origin(logId));
            } catch (dev.auditlog.integrity.NoteVerificationException e) {
                throw new IOException(logDir.resolve(CHECKPOINT_FILE) + " does not verify with this key: "
                        + e.getMessage(), e);
            }
            tree = CompactMerkleTree.restore(cp.size(), earlier.get().range());
        } else {
            tree = CompactMerkleTree.empty();
        }
        byte[] chain = appendRecords(dir, logId, tree, cut);
        if (tree.size() != cut || chain == null) {
            throw new IOException("cannot prune " + logDir + ": the records before " + cut + " could not all be read");
        }
        return new Range(tree, chain);
    }

    /** Appends the stored records from {@code tree.size()} up to {@code cut} to the tree; returns the last chain. */
    private static byte[] appendRecords(Path dir, String logId, CompactMerkleTree tree, long cut) throws IOException {
        byte[] chain = null;
        try (FileAuditReader reader = FileAuditReader.open(dir);
             Stream<SealedRecord> s = reader.read(logId, tree.size())) {
            Iterator<SealedRecord> it = s.iterator();
            while (tree.size() < cut && it.hasNext()) {
                SealedRecord r = it.next();
                if (r.sequence() != tree.size()) {
                    throw new IOException("cannot prune " + dir.resolve(logId) + ": expected record " + tree.size()
                            + ", found " + r.sequence());
                }
                tree.append(r.leafHash());
                chain = r.chainHash();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return chain;
    }

    /** Stores the checkpoint and its range beside the log, each replaced atomically, then syncs the directory. */
    private static void store(Path logDir, String note, CompactMerkleTree tree) throws IOException {
        StringBuilder range = new StringBuilder();
        for (byte[] h : tree.subtreeHashes()) {
            range.append(Base64.getEncoder().encodeToString(h)).append('\n');
        }
        writeAtomically(logDir.resolve(RANGE_FILE), range.toString());
        writeAtomically(logDir.resolve(CHECKPOINT_FILE), note);
        Fs.fsyncDirectory(logDir);
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
