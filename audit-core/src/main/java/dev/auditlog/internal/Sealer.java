package dev.auditlog.internal;

import dev.auditlog.integrity.ChainHasher;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.spi.SealedRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * Turns payloads into sealed records: assigns the layout, the seal time, the leaf and the chain link. Owned by
 * one thread (the dispatcher); it reuses one buffer and one digest, so sealing allocates only the record itself.
 */
final class Sealer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final String logId;
    private final byte[] logIdBytes;
    private final Clock clock;
    private final ChainHasher hasher = new ChainHasher();
    private final byte[] leaf = new byte[32];
    private final char[] scratch = new char[64];
    private byte[] chain;
    private long nextSequence;
    private byte[] buf = new byte[4096];
    private int len;

    /** The Merkle tree over every sealed record, kept only when the log writes checkpoints. */
    private final CompactMerkleTree tree;

    Sealer(String logId, long nextSequence, byte[] previousChain, Clock clock) {
        this(logId, nextSequence, previousChain, clock, null);
    }

    Sealer(String logId, long nextSequence, byte[] previousChain, Clock clock, CompactMerkleTree tree) {
        if (tree != null && tree.size() != nextSequence) {
            throw new IllegalArgumentException("tree size " + tree.size() + " != next sequence " + nextSequence);
        }
        this.tree = tree;
        this.logId = logId;
        this.logIdBytes = logId.getBytes(StandardCharsets.US_ASCII);
        this.nextSequence = nextSequence;
        this.chain = previousChain.clone();
        this.clock = clock;
    }

    long nextSequence() {
        return nextSequence;
    }

    byte[] chainHead() {
        return chain.clone();
    }

    /** Seals the next record as a checkpoint signed with {@code key}; returns the record and its signed note. */
    SealedRecord sealCheckpoint(long sequence, SigningKey key, Instant time, String[] noteOut) {
        if (tree == null) {
            throw new IllegalStateException("this log keeps no Merkle tree: checkpoints are not enabled");
        }
        String note = CheckpointRecords.sign(logId, tree, chain, time, key);
        noteOut[0] = note;
        return seal(sequence, CheckpointRecords.TYPE, CheckpointRecords.payload(note, tree.subtreeHashes()));
    }

    /** Seals {@code payload} (a complete JSON object) as the next record of the given type. */
    SealedRecord seal(long sequence, String type, byte[] payload) {
        if (sequence != nextSequence) {
            throw new IllegalStateException("sealing out of order: expected " + nextSequence + ", got " + sequence);
        }
        len = 0;
        put(RecordFormat.PREFIX);
        put(logIdBytes);
        put(RecordFormat.SEQ);
        putDecimal(sequence);
        put(RecordFormat.SEALED_AT);
        Instant sealedAt = clock.instant();
        int end = Texts.instant(sealedAt, scratch, 0);
        if (end < 0) {
            putAscii(sealedAt.toString());
        } else {
            ensure(end);
            for (int i = 0; i < end; i++) {
                buf[len++] = (byte) scratch[i];
            }
        }
        put(RecordFormat.TYPE);
        putAscii(type);
        putAscii("\",\"");
        putAscii(type);
        putAscii("\":");
        int payloadStart = len;
        put(payload);
        int bodyLength = len;

        byte[] nextChain = new byte[32];
        hasher.leaf(buf, 0, bodyLength, leaf);
        hasher.next(chain, leaf, nextChain);
        if (tree != null) {
            tree.append(leaf);
        }
        put(RecordFormat.CHAIN);
        ensure(66);
        for (byte b : nextChain) {
            buf[len++] = HEX[(b >> 4) & 0xf];
            buf[len++] = HEX[b & 0xf];
        }
        buf[len++] = '"';
        buf[len++] = '}';

        chain = nextChain;
        nextSequence++;
        return RecordFormat.newRecord(logId, sequence, type, payloadStart, Arrays.copyOf(buf, len), leaf.clone(),
                nextChain);
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void putDecimal(long v) {
        ensure(20);
        if (v == 0) {
            buf[len++] = '0';
            return;
        }
        int start = len;
        while (v > 0) {
            buf[len++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    private void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
