package dev.auditlog.bench;

import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.ChainHasher;
import dev.auditlog.spi.SealedRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Makes contiguous, correctly chained sealed records of one log, each with a fresh event id (tables have a unique
 * event id), from the payload the library produced for {@link Fixtures#event()}. Layout as in docs/FORMAT.md.
 */
public final class RecordFactory {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MARK = ",\"type\":\"event\",\"event\":".getBytes(StandardCharsets.US_ASCII);

    private final String logId;
    private final byte[] payload;
    private final ChainHasher hasher = new ChainHasher();
    private final byte[] leaf = new byte[32];
    private byte[] chain;
    private long next;

    public RecordFactory(String logId) {
        this.logId = logId;
        byte[] line = Fixtures.sealedLineOfEvent();
        SealedRecord r = SealedRecord.parse(line);
        int body = r.bodyLength();
        int at = indexOf(line, MARK) + MARK.length;
        this.payload = Arrays.copyOfRange(line, at, body);
        if (!new String(payload, 0, 7, StandardCharsets.US_ASCII).equals("{\"id\":\"")) {
            throw new IllegalStateException("unexpected payload layout: " + new String(payload, StandardCharsets.UTF_8));
        }
        this.chain = ChainHash.genesis(logId);
    }

    /** The last event id handed out, for baselines binding the same columns. */
    public static String eventId(SealedRecord r) {
        byte[] l = r.line();
        int at = indexOf(l, MARK) + MARK.length + 7;
        return new String(l, at, 36, StandardCharsets.US_ASCII);
    }

    public List<SealedRecord> next(int n) {
        List<SealedRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(next());
        }
        return out;
    }

    public SealedRecord next() {
        byte[] p = payload.clone();
        byte[] id = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, p, 7, 36);
        String head = "{\"v\":1,\"log\":\"" + logId + "\",\"seq\":" + next + ",\"sealedAt\":\"" + Instant.now()
                + "\",\"type\":\"event\",\"event\":";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[h.length + p.length + 10 + 64 + 2];
        System.arraycopy(h, 0, line, 0, h.length);
        System.arraycopy(p, 0, line, h.length, p.length);
        int body = h.length + p.length;
        hasher.leaf(line, 0, body, leaf);
        hasher.next(chain, leaf, chain);
        int k = body;
        for (byte b : ",\"chain\":\"".getBytes(StandardCharsets.US_ASCII)) {
            line[k++] = b;
        }
        for (byte b : chain) {
            line[k++] = HEX[(b >> 4) & 0xf];
            line[k++] = HEX[b & 0xf];
        }
        line[k++] = '"';
        line[k] = '}';
        next++;
        return SealedRecord.parse(line);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }
}
