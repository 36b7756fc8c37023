package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.auditlog.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Seals payloads into the records of one chain, exactly as {@code docs/FORMAT.md} specifies: it lays out the
 * line, computes the leaf hash of the body and links it to the previous record's chain hash. This is the log's
 * own sealing step; it is public so that tools and tests can build valid chains, and because a sealed record can
 * only come from here or from {@link SealedRecord#parse}, its hashes always match its bytes.
 *
 * <p>Not thread-safe: one sealer per chain, used by one thread at a time. It reuses one buffer and one digest, so
 * sealing allocates only the record itself.
 */
public final class RecordSealer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z_]{0,31}");

    private final String logId;
    private final byte[] logIdBytes;
    private final ChainHasher hasher = new ChainHasher();
    private byte[] chain;
    private long nextSequence;
    private byte[] buf = new byte[4096];
    private int len;

    /**
     * @param logId         the chain id, see {@link ChainIds}
     * @param nextSequence  the sequence number of the next record, {@code >= 0}
     * @param previousChain the chain hash of the record before it, or {@link ChainHash#genesis(String)} for a new
     *                      log; 32 bytes
     */
    public RecordSealer(String logId, long nextSequence, byte[] previousChain) {
        this.logId = ChainIds.check(logId);
        if (nextSequence < 0) {
            throw new IllegalArgumentException("nextSequence must be >= 0, was " + nextSequence);
        }
        ChainHash.checkHash(previousChain, "previousChain");
        this.logIdBytes = logId.getBytes(StandardCharsets.US_ASCII);
        this.nextSequence = nextSequence;
        this.chain = previousChain.clone();
    }

    /** The sequence number the next sealed record gets. */
    public long nextSequence() {
        return nextSequence;
    }

    /** The chain hash of the last sealed record (or the one given at construction), 32 bytes (a copy). */
    public byte[] chainHead() {
        return chain.clone();
    }

    /**
     * Seals the next record.
     *
     * @param sealedAt when it is sealed, written as RFC 3339 UTC
     * @param type     the record type, {@code [a-z][a-z_]{0,31}}, e.g. {@link SealedRecord#TYPE_EVENT}
     * @param payload  the payload, one JSON object in UTF-8 without raw line breaks (for events see
     *                 {@code docs/FORMAT.md}); the sealer copies it
     * @throws IllegalArgumentException when the type or the payload breaks its rule
     */
    public SealedRecord seal(Instant sealedAt, String type, byte[] payload) {
        Objects.requireNonNull(sealedAt, "sealedAt");
        Objects.requireNonNull(payload, "payload");
        checkType(type);
        checkPayload(payload);
        long sequence = nextSequence;
        len = 0;
        int payloadStart = layout(logIdBytes, sequence, sealedAt, type, payload);
        int bodyLength = len;

        byte[] leaf = new byte[32];
        byte[] nextChain = new byte[32];
        hasher.leaf(buf, 0, bodyLength, leaf);
        hasher.next(chain, leaf, nextChain);
        ensure(RecordFormat.TRAILER_LENGTH);
        len += trailer(buf, bodyLength, nextChain);

        chain = nextChain;
        nextSequence++;
        if (buf.length > 1 << 20) {
            byte[] line = Arrays.copyOf(buf, len);
            buf = new byte[4096]; // do not keep a huge buffer for the life of the log
            return new SealedRecord(logId, sequence, type, payloadStart, line, leaf, nextChain);
        }
        return new SealedRecord(logId, sequence, type, payloadStart, Arrays.copyOf(buf, len), leaf, nextChain);
    }

    /**
     * Lays out the body of a record ({@code docs/FORMAT.md}: the line without its trailer) from {@link #len} on;
     * returns where the payload starts. A null payload leaves the line at that point, for the caller to write it.
     */
    private int layout(byte[] logIdBytes, long sequence, Instant sealedAt, String type, byte[] payload) {
        put(RecordFormat.isVersion2(type) ? RecordFormat.PREFIX_V2 : RecordFormat.PREFIX);
        put(logIdBytes);
        put(RecordFormat.SEQ);
        putDecimal(sequence);
        put(RecordFormat.SEALED_AT);
        ensure(30);
        int end = Texts.instant(sealedAt, buf, len);
        if (end < 0) {
            putAscii(sealedAt.toString());
        } else {
            len = end;
        }
        put(RecordFormat.TYPE);
        putAscii(type);
        putAscii("\",\"");
        putAscii(type);
        putAscii("\":");
        int payloadStart = len;
        if (payload != null) { // else the caller writes it from here on
            put(payload);
        }
        return payloadStart;
    }

    /** Writes the trailer {@code ,"chain":"<64 hex>"}} for {@code chainHash} at {@code at}; returns its length. */
    private static int trailer(byte[] line, int at, byte[] chainHash) {
        System.arraycopy(RecordFormat.CHAIN, 0, line, at, RecordFormat.CHAIN.length);
        int i = at + RecordFormat.CHAIN.length;
        for (byte b : chainHash) {
            line[i++] = HEX[(b >> 4) & 0xf];
            line[i++] = HEX[b & 0xf];
        }
        line[i++] = '"';
        line[i++] = '}';
        return i - at;
    }

    /**
     * A record sealed but for its chain link: its body, for a sequence number and seal time decided beforehand, and
     * the body's leaf hash. The body and leaf hash do not depend on the records before it, so any thread can make
     * one ({@link Preparer#prepare}) while the records before it are still being sealed; {@link #link} then
     * completes it, in sequence order, on the sealer's thread.
     */
    public static final class Body {
        private final String logId;
        private final long sequence;
        private final String type;
        private final int payloadStart;
        /** The body, then room for the trailer. */
        private final byte[] line;
        private final byte[] leafHash;

        private Body(String logId, long sequence, String type, int payloadStart, byte[] line, byte[] leafHash) {
            this.logId = logId;
            this.sequence = sequence;
            this.type = type;
            this.payloadStart = payloadStart;
            this.line = line;
            this.leafHash = leafHash;
        }

        /** The sequence number the body was laid out for. */
        public long sequence() {
            return sequence;
        }
    }

    /**
     * Lays out {@link Body bodies} of one chain ahead of their chain link. Not thread-safe: one per thread; it keeps
     * one buffer and one digest, so each body allocates only its line and its leaf hash.
     */
    public static final class Preparer {
        private final RecordSealer layout;
        /** Writes events straight into {@link #layout}'s buffer ({@link #prepareEvent}); null until then. */
        private JsonGenerator generator;

        /** @param logId the chain id, see {@link ChainIds} */
        public Preparer(String logId) {
            this.layout = new RecordSealer(logId, 0, new byte[32]);
        }

        /**
         * Lays out the body of record {@code sequence}, sealed at {@code sealedAt}, and computes its leaf hash.
         * Arguments as for {@link RecordSealer#seal}.
         *
         * @throws IllegalArgumentException when the sequence number is negative, or the type or the payload breaks
         *                                  its rule
         */
        public Body prepare(long sequence, Instant sealedAt, String type, byte[] payload) {
            Objects.requireNonNull(sealedAt, "sealedAt");
            Objects.requireNonNull(payload, "payload");
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
            }
            checkType(type);
            checkPayload(payload);
            RecordSealer s = layout;
            s.len = 0;
            int payloadStart = s.layout(s.logIdBytes, sequence, sealedAt, type, payload);
            return body(s, sequence, type, payloadStart);
        }

        /** The laid-out bytes in {@code s.buf} as a body: copied into its line, with their leaf hash. */
        private static Body body(RecordSealer s, long sequence, String type, int payloadStart) {
            int bodyLength = s.len;
            byte[] line = new byte[bodyLength + RecordFormat.TRAILER_LENGTH];
            System.arraycopy(s.buf, 0, line, 0, bodyLength);
            if (s.buf.length > 1 << 20) {
                s.buf = new byte[4096]; // do not keep a huge buffer for the life of the thread
            }
            byte[] leaf = new byte[32];
            s.hasher.leaf(line, 0, bodyLength, leaf);
            return new Body(s.logId, sequence, type, payloadStart, line, leaf);
        }

        /**
         * Lays out the body of event record {@code sequence} with the event's JSON form ({@link EventCodec#write})
         * as its payload, and computes its leaf hash: the same body as {@code prepare(sequence, sealedAt,
         * SealedRecord.TYPE_EVENT, EventCodec.write(event, occurredAt, traceId, spanId, requestId))}, but the event
         * is written straight into the line, without a payload array in between (one allocation and two copies
         * fewer on the caller's thread).
         *
         * @throws IllegalArgumentException when the sequence number is negative or a fill-in value breaks the rule
         *                                  of its field (as {@link EventCodec#write})
         */
        public Body prepareEvent(long sequence, Instant sealedAt, AuditEvent event, Instant occurredAt,
                                 String traceId, String spanId, String requestId) {
            Objects.requireNonNull(sealedAt, "sealedAt");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(occurredAt, "occurredAt");
            Objects.requireNonNull(traceId, "traceId");
            Objects.requireNonNull(spanId, "spanId");
            Objects.requireNonNull(requestId, "requestId");
            if (sequence < 0) {
                throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
            }
            RecordSealer s = layout;
            s.len = 0;
            int payloadStart = s.layout(s.logIdBytes, sequence, sealedAt, SealedRecord.TYPE_EVENT, null);
            JsonGenerator g = generator();
            try {
                EventJson.write(g, event, occurredAt, emptyToNull(traceId), emptyToNull(spanId),
                        emptyToNull(requestId));
                g.flush(); // into s.buf, after the header
            } catch (IOException | RuntimeException e) {
                generator = null; // it may be mid-object: never reuse it
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new UncheckedIOException("cannot serialise audit event " + event.action(), (IOException) e);
            }
            checkPayload(s.buf, payloadStart, s.len);
            return body(s, sequence, SealedRecord.TYPE_EVENT, payloadStart);
        }

        /** The generator that appends to the layout buffer; made on first use and after a failure. */
        private JsonGenerator generator() {
            JsonGenerator g = generator;
            if (g == null) {
                RecordSealer s = layout;
                OutputStream out = new OutputStream() {
                    @Override
                    public void write(int b) {
                        s.ensure(1);
                        s.buf[s.len++] = (byte) b;
                    }

                    @Override
                    public void write(byte[] b, int off, int n) {
                        s.ensure(n);
                        System.arraycopy(b, off, s.buf, s.len, n);
                        s.len += n;
                    }
                };
                try {
                    g = Json.FACTORY.createGenerator(out, JsonEncoding.UTF8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                g.setRootValueSeparator(null); // one event per body, nothing before it
                generator = g;
            }
            return g;
        }

        private static String emptyToNull(String s) {
            return s.isEmpty() ? null : s;
        }
    }

    /**
     * Seals the next record from a {@link Body} laid out for it: links its leaf hash to the chain and writes the
     * trailer into the body's line, which the record then owns. Each body can be linked once.
     *
     * @throws IllegalArgumentException when the body belongs to another chain or another sequence number
     */
    public SealedRecord link(Body body) {
        Objects.requireNonNull(body, "body");
        if (!body.logId.equals(logId) || body.sequence != nextSequence) {
            throw new IllegalArgumentException("body of record " + body.sequence + " of chain " + body.logId
                    + " cannot be record " + nextSequence + " of chain " + logId);
        }
        byte[] nextChain = new byte[32];
        hasher.next(chain, body.leafHash, nextChain);
        trailer(body.line, body.line.length - RecordFormat.TRAILER_LENGTH, nextChain);
        chain = nextChain;
        long sequence = nextSequence++;
        return new SealedRecord(logId, sequence, body.type, body.payloadStart, body.line, body.leafHash, nextChain);
    }

    /**
     * Seals the next record as a checkpoint record carrying {@code signedNote} and the compact Merkle range at the
     * checkpoint's size (see {@code docs/FORMAT.md}, checkpoint records).
     */
    public SealedRecord sealCheckpoint(Instant sealedAt, String signedNote, List<byte[]> range) {
        return seal(sealedAt, SealedRecord.TYPE_CHECKPOINT, CheckpointPayload.write(signedNote, range));
    }

    /**
     * Seals the next record as a signed statement of the log: a retention statement
     * ({@link SealedRecord#TYPE_RETENTION}) or a key rotation ({@link SealedRecord#TYPE_KEY}), carrying the signed
     * note and the compact Merkle range at the note's tree size (see {@code docs/FORMAT.md}, sections 11 and 12).
     */
    public SealedRecord sealStatement(Instant sealedAt, String type, String signedNote, List<byte[]> range) {
        if (!RecordFormat.isVersion2(type)) {
            throw new IllegalArgumentException("type must be \"" + SealedRecord.TYPE_RETENTION + "\" or \""
                    + SealedRecord.TYPE_KEY + "\", was \"" + type + "\"");
        }
        return seal(sealedAt, type, CheckpointPayload.write(signedNote, range));
    }

    private static void checkType(String type) {
        Objects.requireNonNull(type, "type");
        if (!type.equals(SealedRecord.TYPE_EVENT) && !TYPE_NAME.matcher(type).matches()) { // no regex per event
            throw new IllegalArgumentException("record type must match " + TYPE_NAME.pattern() + ", was \""
                    + (type.length() > 40 ? type.substring(0, 40) + "…" : type) + "\"");
        }
    }

    private static void checkPayload(byte[] payload) {
        checkPayload(payload, 0, payload.length);
    }

    /** Checks the payload in {@code b[from, to)}; offsets in messages are relative to {@code from}. */
    private static void checkPayload(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 2 || b[from] != '{' || b[to - 1] != '}') {
            throw new IllegalArgumentException("payload must be one JSON object ({...}), was " + n
                    + " byte(s) not starting with '{' and ending with '}'");
        }
        int i = from;
        // Eight bytes at a time: a byte of x ^ LF (or CR) is zero where the payload holds that byte.
        for (int end = to - 7; i < end; i += 8) {
            long x = (long) LONGS.get(b, i);
            if (hasZeroByte(x ^ 0x0A0A0A0A0A0A0A0AL) || hasZeroByte(x ^ 0x0D0D0D0D0D0D0D0DL)) {
                break; // found in this word: the byte loop below names the offset
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                throw new IllegalArgumentException("payload must not contain a raw line break, found one at offset "
                        + (i - from));
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Whether a byte of {@code x} is zero (the exact test: no false positives, as some variants of it have). */
    private static boolean hasZeroByte(long x) {
        long y = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
        return ~(y | x | 0x7F7F7F7F7F7F7F7FL) != 0;
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
