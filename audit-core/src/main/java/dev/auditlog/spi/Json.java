package dev.auditlog.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.auditlog.AuditLimits;

/**
 * The shared, configured Jackson {@link JsonFactory} for audit records.
 *
 * <p>Writing: compact (no pretty printing) and safe on one line (CWE-117): every ASCII control char 0x00–0x1F,
 * DEL 0x7F, {@code "} and {@code \} are escaped, as are U+2028/U+2029 (JavaScript line terminators); all other
 * non-ASCII is written as raw UTF-8, with supplementary characters as 4-byte sequences. Targets are never
 * auto-closed, nor are unfinished objects auto-completed.
 *
 * <p>Reading: strict JSON (no lenient features), duplicate field names rejected, nesting at most
 * {@value #MAX_NESTING_DEPTH}, strings at most {@value #MAX_STRING_LENGTH} chars, numbers at most
 * {@value #MAX_NUMBER_LENGTH} digits; source content is not echoed into error locations.
 *
 * <p>Internal API: not exported from the module.
 */
final class Json {

    /** Maximum nesting depth of parsed and written documents. */
    static final int MAX_NESTING_DEPTH = AuditLimits.JSON_NESTING_LIMIT;

    /**
     * Maximum length of one parsed string or name: a string cannot be longer than the largest record a writer may
     * be configured to make, so a reader takes whatever the writer's limits allow.
     */
    static final int MAX_STRING_LENGTH = AuditLimits.MAX_RECORD_BYTES;

    /** Maximum length of one parsed number literal. */
    static final int MAX_NUMBER_LENGTH = 32;

    /** The escapes used by {@link #FACTORY}; see the class documentation. */
    static final CharacterEscapes ESCAPES = new SafeEscapes();

    /** The configured factory; thread-safe, share it. */
    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .characterEscapes(ESCAPES)
            .disable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .enable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    private Json() {
    }

    /** Standard JSON escapes plus DEL, U+2028 and U+2029; everything else non-ASCII stays raw. */
    private static final class SafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final SerializableString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializableString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        private final int[] asciiEscapes;

        SafeEscapes() {
            int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            escapes[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
            this.asciiEscapes = escapes;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            // Jackson only reads the table, and asks for it for every generator: a copy per record is waste.
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return LINE_SEPARATOR;
            }
            if (ch == 0x2029) {
                return PARAGRAPH_SEPARATOR;
            }
            return null;
        }
    }
}
