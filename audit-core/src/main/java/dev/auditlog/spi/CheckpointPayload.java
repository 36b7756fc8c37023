package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The payload of {@code checkpoint} records: {@code {"note":"<signed checkpoint>","range":["<base64>",...]}}.
 * The range is the compact Merkle range at the checkpoint's size, so a writer can resume the tree from the last
 * checkpoint without reading the whole log.
 */
record CheckpointPayload(String note, List<byte[]> range) {

    static byte[] write(String note, List<byte[]> range) {
        Objects.requireNonNull(note, "signedNote");
        Objects.requireNonNull(range, "range");
        ByteArrayBuilder buf = new ByteArrayBuilder(512);
        try (JsonGenerator g = Json.FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("note", note);
            g.writeArrayFieldStart("range");
            for (byte[] h : range) {
                if (h.length != 32) {
                    throw new IllegalArgumentException("range hashes must be 32 bytes, one was " + h.length);
                }
                g.writeString(Base64.getEncoder().encodeToString(h));
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /**
     * Parses the payload of a checkpoint record.
     *
     * @throws IllegalArgumentException when it is not {@code {"note":string,"range":[base64,...]}}
     */
    static CheckpointPayload parse(byte[] line, int payloadStart, long sequence) {
        try (JsonParser jp = Json.FACTORY.createParser(line, payloadStart,
                line.length - RecordFormat.TRAILER_LENGTH - payloadStart)) {
            expect(jp.nextToken() == JsonToken.START_OBJECT, "payload must be an object");
            expect("note".equals(jp.nextFieldName()), "first member must be \"note\"");
            expect(jp.nextToken() == JsonToken.VALUE_STRING, "note must be a string");
            String note = jp.getText();
            expect("range".equals(jp.nextFieldName()), "second member must be \"range\"");
            expect(jp.nextToken() == JsonToken.START_ARRAY, "range must be an array");
            List<byte[]> range = new ArrayList<>();
            JsonToken t;
            while ((t = jp.nextToken()) == JsonToken.VALUE_STRING) {
                byte[] h;
                try {
                    h = Base64.getDecoder().decode(jp.getText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("malformed checkpoint payload: range hashes must be base64");
                }
                expect(h.length == 32, "range hashes must be 32 bytes");
                range.add(h);
            }
            expect(t == JsonToken.END_ARRAY, "range must hold strings only");
            expect(jp.nextToken() == JsonToken.END_OBJECT, "payload has extra members");
            return new CheckpointPayload(note, List.copyOf(range));
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed checkpoint record " + sequence + ": " + e.getMessage(), e);
        }
    }

    private static void expect(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("malformed checkpoint payload: " + rule);
        }
    }
}
