package dev.auditlog.bench;

import dev.auditlog.spi.ChainHasher;
import dev.auditlog.spi.SealedRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * A harness for what verifying one record costs on one thread, against the verify target's budget: over the record
 * lines of a segment file (say {@code VerifyBench}'s log), held in one buffer, per record: raw SHA-256 of the same
 * bytes as one stream (what {@code VerifyBench.rawSha256} does), the record's leaf hash alone, and
 * {@link SealedRecord#parse(byte[], int, int)} (layout, canonical form, leaf hash, the copy the record keeps). The
 * verifier also links each record and adds it to the Merkle tree in order; this shows what the parallel part costs
 * before any of that.
 *
 * <p>Usage: {@code java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks.jar dev.auditlog.bench.VerifyCost
 * <segment.jsonl> [rounds]}; the last rounds are the warm ones. Pre-touch the heap: on a VM where a page's first touch
 * is dear, a growing heap otherwise makes the parse look 2–3 times dearer than its code is.
 */
public final class VerifyCost {
    /** The trailer {@code ,"chain":"<64 hex>"}} that the leaf hash leaves out (docs/FORMAT.md section 2). */
    private static final int TRAILER = 76;
    private static volatile long sink;

    private VerifyCost() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> lines = Files.readAllLines(Path.of(args[0])).stream().filter(l -> l.startsWith("{\"v\":"))
                .limit(200_000).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int n = lines.size();
        Fixtures.check(n > 0, "records in " + args[0] + ": " + n);
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + lines.get(i).length;
        }
        byte[] all = new byte[offsets[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(lines.get(i), 0, all, offsets[i], lines.get(i).length);
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ChainHasher hasher = new ChainHasher();
        byte[] out = new byte[32];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            md.update(all, 0, all.length);
            sink += md.digest()[0];
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int length = offsets[i + 1] - offsets[i];
                hasher.leaf(all, offsets[i], length - TRAILER, out);
                sink += out[0];
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += SealedRecord.parse(all, offsets[i], offsets[i + 1] - offsets[i]).sequence();
            }
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "round %d, %d records of %.0f bytes on average: raw SHA-256 as one stream"
                            + " %.0f ns, leaf hash %.0f ns, SealedRecord.parse %.0f ns a record%n", r, n,
                    all.length / (double) n, (t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n);
        }
    }
}
