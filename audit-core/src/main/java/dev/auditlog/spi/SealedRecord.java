package dev.auditlog.spi;

import dev.auditlog.AuditEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One record as the log sealed it: its sequence number in the log, its exact bytes (one line of UTF-8 JSON,
 * without the line terminator), its leaf hash and its chain hash. Sinks store {@link #line()} unchanged; the
 * layout and the hash definitions are specified in {@code docs/FORMAT.md}.
 */
public final class SealedRecord {
    /** The type of records that carry an audit event. */
    public static final String TYPE_EVENT = RecordFormat.TYPE_EVENT;
    /** The type of records that carry a signed checkpoint of the log itself (see {@code docs/FORMAT.md}). */
    public static final String TYPE_CHECKPOINT = RecordFormat.TYPE_CHECKPOINT;
    /**
     * The type of records that carry a signed retention statement: records before a sequence number may be removed
     * (see {@code docs/FORMAT.md}, section 11). Written with {@code "v":2}.
     */
    public static final String TYPE_RETENTION = RecordFormat.TYPE_RETENTION;
    /**
     * The type of records that carry a signed key rotation: the key that signed the log so far introduces the next
     * one (see {@code docs/FORMAT.md}, section 12). Written with {@code "v":2}.
     */
    public static final String TYPE_KEY = RecordFormat.TYPE_KEY;

    private final String logId;
    private final long sequence;
    private final String type;
    private final int payloadStart;
    private final byte[] line;
    private final byte[] leafHash;
    private final byte[] chainHash;

    /** Only {@link #parse} and {@link RecordSealer} make records, so the hashes always match the bytes. */
    SealedRecord(String logId, long sequence, String type, int payloadStart, byte[] line, byte[] leafHash,
                         byte[] chainHash) {
        this.logId = logId;
        this.sequence = sequence;
        this.type = type;
        this.payloadStart = payloadStart;
        this.line = line;
        this.leafHash = leafHash;
        this.chainHash = chainHash;
    }

    /**
     * Parses a stored line (without its terminator): reads the log id, sequence number, type and chain hash
     * from the fixed layout and computes the leaf hash of the body. It does not check the chain link, which needs
     * the previous record; that is the verifier's job.
     *
     * @throws IllegalArgumentException when the line does not follow the record layout; the message says where
     */
    public static SealedRecord parse(byte[] line) {
        Objects.requireNonNull(line, "line");
        return parseOwned(line.clone());
    }

    /**
     * Parses a stored line held at {@code buffer[offset, offset + length)} (without its terminator), for readers
     * that read many lines into one buffer: the record keeps its own copy of those bytes, made once. Otherwise as
     * {@link #parse(byte[])}.
     *
     * @throws IllegalArgumentException when the line does not follow the record layout; the message says where
     * @throws IndexOutOfBoundsException when the range is outside {@code buffer}
     */
    public static SealedRecord parse(byte[] buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.length);
        return parseOwned(Arrays.copyOfRange(buffer, offset, offset + length));
    }

    private static SealedRecord parseOwned(byte[] line) {
        RecordFormat.Parsed p = RecordFormat.parse(line);
        return new SealedRecord(p.logId(), p.sequence(), p.type(), p.payloadStart(), line, p.leafHash(),
                p.chainHash());
    }

    /** The id of the log (chain) this record belongs to. */
    public String logId() {
        return logId;
    }

    /** The record's position in its log, starting at 0, contiguous. Equal to its RFC 6962 leaf index. */
    public long sequence() {
        return sequence;
    }

    /** The record type: {@code "event"} for audit events; other types are listed in {@code docs/FORMAT.md}. */
    public String type() {
        return type;
    }

    /** A copy of the exact stored bytes of the record, without the line terminator. */
    public byte[] line() {
        return line.clone();
    }

    /** A read-only view of the exact stored bytes, without copying. */
    public ByteBuffer lineBuffer() {
        return ByteBuffer.wrap(line).asReadOnlyBuffer();
    }

    /** Number of bytes of {@link #line()}. */
    public int lineLength() {
        return line.length;
    }

    /** Writes the exact stored bytes (no terminator) to {@code out} without copying them first. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(line);
    }

    /** The record line as text (UTF-8 decoded), without the line terminator. */
    public String lineText() {
        return new String(line, StandardCharsets.UTF_8);
    }

    /** The leaf hash {@code SHA-256(0x00 || body)}, 32 bytes (a copy). */
    public byte[] leafHash() {
        return leafHash.clone();
    }

    /** The chain hash {@code SHA-256(0x02 || previous chain || leaf)}, 32 bytes (a copy). */
    public byte[] chainHash() {
        return chainHash.clone();
    }

    /** The length of the body: the bytes covered by the leaf hash, a prefix of {@link #line()}. */
    public int bodyLength() {
        return line.length - RecordFormat.TRAILER_LENGTH;
    }

    /** The time the log sealed this record. */
    public Instant sealedAt() {
        return RecordFormat.sealedAt(line);
    }

    /**
     * The audit event this record carries, parsed from the stored bytes, or empty for records of other types.
     *
     * @throws IllegalArgumentException when the stored event is malformed
     */
    public Optional<AuditEvent> event() {
        return TYPE_EVENT.equals(type) ? Optional.of(RecordFormat.event(line, payloadStart, sequence))
                : Optional.empty();
    }

    /**
     * The fields of the event this record carries that storage indexes (actor, action, target, time...), read
     * straight from the stored bytes without building and validating the whole event: much cheaper than
     * {@link #event()} for a sink that fills query columns. Empty for records of other types.
     *
     * @throws IllegalArgumentException when the stored event is malformed
     */
    public Optional<EventSummary> eventSummary() {
        return TYPE_EVENT.equals(type)
                ? Optional.of(EventSummaries.read(line, payloadStart, line.length - RecordFormat.TRAILER_LENGTH, sequence))
                : Optional.empty();
    }

    /**
     * The signed checkpoint (a C2SP signed note) this record carries, or empty for records of other types. The
     * signature is not checked here; see {@link dev.auditlog.integrity.ChainVerifier}.
     *
     * @throws IllegalArgumentException when the stored checkpoint payload is malformed
     */
    public Optional<String> checkpointNote() {
        return checkpoint().map(CheckpointPayload::note);
    }

    /**
     * The compact Merkle range a checkpoint record carries: the hashes of the perfect subtrees of the tree at the
     * checkpoint's size, largest first (see {@code docs/FORMAT.md}); empty for records of other types.
     *
     * @throws IllegalArgumentException when the stored checkpoint payload is malformed
     */
    public Optional<List<byte[]>> checkpointRange() {
        return checkpoint().map(c -> {
            List<byte[]> copy = new ArrayList<>(c.range().size());
            c.range().forEach(h -> copy.add(h.clone()));
            return Collections.unmodifiableList(copy);
        });
    }

    /**
     * The signed note a retention or key rotation record carries ({@link #TYPE_RETENTION}, {@link #TYPE_KEY}), or
     * empty for records of other types. The signature is not checked here.
     *
     * @throws IllegalArgumentException when the stored payload is malformed
     */
    public Optional<String> statementNote() {
        return statement().map(CheckpointPayload::note);
    }

    /**
     * The compact Merkle range a retention or key rotation record carries, at its note's tree size; empty for
     * records of other types.
     *
     * @throws IllegalArgumentException when the stored payload is malformed
     */
    public Optional<List<byte[]>> statementRange() {
        return statement().map(c -> {
            List<byte[]> copy = new ArrayList<>(c.range().size());
            c.range().forEach(h -> copy.add(h.clone()));
            return Collections.unmodifiableList(copy);
        });
    }

    private Optional<CheckpointPayload> statement() {
        return RecordFormat.isVersion2(type) ? Optional.of(CheckpointPayload.parse(line, payloadStart, sequence))
                : Optional.empty();
    }

    private Optional<CheckpointPayload> checkpoint() {
        return TYPE_CHECKPOINT.equals(type) ? Optional.of(CheckpointPayload.parse(line, payloadStart, sequence))
                : Optional.empty();
    }

    /** Records are equal when their bytes are equal (the bytes determine everything else). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SealedRecord r && Arrays.equals(r.line, line);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(line);
    }

    @Override
    public String toString() {
        return "SealedRecord[log=" + logId + ", seq=" + sequence + ", type=" + type + ", chain="
                + HexFormat.of().formatHex(chainHash) + "]";
    }
}
