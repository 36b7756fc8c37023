package dev.auditlog.servlet;

import java.util.Optional;

/**
 * A W3C Trace Context {@code traceparent} header (https://www.w3.org/TR/trace-context/#traceparent-header), parsed
 * and validated as the spec says: {@code version "-" trace-id "-" parent-id "-" trace-flags}, all lower-case hex;
 * version {@code ff} is invalid; trace-id (32 hex) and parent-id (16 hex) must not be all zeros. Version
 * {@code 00} must be exactly 55 characters; a later version may be longer when the 56th character is {@code -}
 * (its first four fields are read as version 00's). Anything else is malformed and ignored.
 */
record TraceParent(String traceId, String parentId, int flags) {
    private static final int LENGTH = 55;

    /** The header's trace context, or empty when it is absent or malformed. */
    static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip(); // optional whitespace around a header value (RFC 9110) is not part of it
        if (h.length() < LENGTH || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
                || !hex(h, 0, 2) || !hex(h, 3, 35) || !hex(h, 36, 52) || !hex(h, 53, 55)) {
            return Optional.empty();
        }
        String version = h.substring(0, 2);
        if (version.equals("ff")) {
            return Optional.empty();
        }
        if (version.equals("00") ? h.length() != LENGTH : h.length() > LENGTH && h.charAt(LENGTH) != '-') {
            return Optional.empty();
        }
        String traceId = h.substring(3, 35);
        String parentId = h.substring(36, 52);
        if (zeros(traceId) || zeros(parentId)) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(traceId, parentId, Integer.parseInt(h.substring(53, 55), 16)));
    }

    /** Whether the caller sampled the trace (flag bit 0). */
    boolean sampled() {
        return (flags & 1) != 0;
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
