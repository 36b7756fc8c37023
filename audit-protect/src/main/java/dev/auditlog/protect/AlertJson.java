package dev.auditlog.protect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The webhook body of an alert, written with jackson-core's streaming generator. */
final class AlertJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AlertJson() {
    }

    public static byte[] toJson(String logId, Alert a) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("log", logId);
            g.writeStringField("rule", a.ruleId());
            g.writeStringField("severity", a.severity().name());
            g.writeStringField("key", a.key());
            g.writeArrayFieldStart("sequences");
            for (long s : a.sequences()) {
                g.writeNumber(s);
            }
            g.writeEndArray();
            g.writeStringField("summary", a.summary());
            g.writeStringField("firedAt", a.firedAt().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
