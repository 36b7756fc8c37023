package dev.auditlog.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The payload of {@code checkpoint} records: {@code {"note":"<signed checkpoint>","range":["<base64>",...]}}.
 * The range is the compact Merkle range at the checkpoint's size, so a writer can resume the tree from the last
 * checkpoint without reading the whole log.
 */
public final class CheckpointRecords {
    public static final String TYPE = "checkpoint";

    private CheckpointRecords() {
    }

    /** The C2SP origin line of a log's checkpoints. */
    public static String origin(String logId) {
        return "auditlog/" + logId;
    }

    /** Signs the checkpoint for the tree as it stands before the checkpoint record itself. */
    static String sign(String logId, CompactMerkleTree tree, byte[] chainHead, Instant time, SigningKey key) {
        return Checkpoint.of(origin(logId), tree.size(), tree.rootHash())
                .withChainHash(chainHead)
                .withTime(time)
                .sign(key);
    }

    static byte[] payload(String note, List<byte[]> range) {
        ByteArrayBuilder buf = new ByteArrayBuilder(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("note", note);
            g.writeArrayFieldStart("range");
            for (byte[] h : range) {
                g.writeString(Base64.getEncoder().encodeToString(h));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** What a checkpoint record carries. */
    public record Payload(String note, List<byte[]> range) {
    }

    /**
     * Parses a checkpoint record's payload.
     *
     * @throws IllegalArgumentException when it is not {@code {"note":string,"range":[base64,...]}}
     */
    public static Payload parse(byte[] line) {
        RecordFormat.Parsed p = RecordFormat.parse(line);
        if (!TYPE.equals(p.type())) {
            throw new IllegalArgumentException("record " + p.sequence() + " is a " + p.type() + " record, not a checkpoint");
        }
        try (JsonParser jp = Json.FACTORY.createParser(line, p.payloadStart(),
                line.length - RecordFormat.TRAILER_LENGTH - p.payloadStart())) {
            expect(jp.nextToken() == JsonToken.START_OBJECT, "payload must be an object");
            expect("note".equals(jp.nextFieldName()), "first member must be \"note\"");
            expect(jp.nextToken() == JsonToken.VALUE_STRING, "note must be a string");
            String note = jp.getText();
            expect("range".equals(jp.nextFieldName()), "second member must be \"range\"");
            expect(jp.nextToken() == JsonToken.START_ARRAY, "range must be an array");
            List<byte[]> range = new ArrayList<>();
            JsonToken t;
            while ((t = jp.nextToken()) == JsonToken.VALUE_STRING) {
                byte[] h = Base64.getDecoder().decode(jp.getText());
                expect(h.length == 32, "range hashes must be 32 bytes");
                range.add(h);
            }
            expect(t == JsonToken.END_ARRAY, "range must hold strings only");
            expect(jp.nextToken() == JsonToken.END_OBJECT, "payload has extra members");
            return new Payload(note, List.copyOf(range));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed checkpoint record " + p.sequence() + ": " + e.getMessage(), e);
        }
    }

    private static void expect(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("malformed checkpoint payload: " + rule);
        }
    }
}
