package dev.auditlog.integrity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Package-private key name rules and key id computation (C2SP signed-note). */
final class KeyNames {

    /** Signature type identifier byte for Ed25519. */
    static final byte ALG_ED25519 = 0x01;

    private KeyNames() {
    }

    /** True if {@code name} is a valid note key name: non-empty, no '+', no Unicode space, valid UTF-16. */
    static boolean isValid(String name) {
        return name != null && problem(name) == null;
    }

    /** Validates a key name, naming the field in the exception. */
    static String check(String name, String field) {
        Checks.notNull(name, field);
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(field + " " + problem + ", got \"" + Checks.abbreviate(name) + "\"");
        }
        return name;
    }

    private static String problem(String name) {
        if (name.isEmpty()) {
            return "must be non-empty";
        }
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < name.length()
                        && Character.isLowSurrogate(name.charAt(i + 1))) {
                    i += 2;
                    continue;
                }
                return "must be valid Unicode (unpaired surrogate at index " + i + ")";
            }
            if (c == '+') {
                return "must not contain '+' (index " + i + ")";
            }
            if (isSpace(c)) {
                return "must not contain Unicode spaces (U+" + String.format("%04X", (int) c) + " at index " + i + ")";
            }
            if (Character.isISOControl(c)) {
                return "must not contain control characters (U+" + String.format("%04X", (int) c) + " at index "
                        + i + ")";
            }
            i++;
        }
        return null;
    }

    /** Go's unicode.IsSpace plus Java's whitespace notion (all characters with the White_Space property). */
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** key id = first 4 bytes (big-endian) of SHA-256(name || 0x0A || 0x01 || publicKey). */
    static int keyId(String name, byte[] publicKey) {
        MessageDigest md = Sha256.digest();
        md.update(name.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0x0A);
        md.update(ALG_ED25519);
        md.update(publicKey);
        byte[] h = md.digest();
        return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    }

    static String keyIdHex(int keyId) {
        return java.util.HexFormat.of().toHexDigits(keyId); // the same 8 lowercase digits, without a Formatter
    }

    /** Parses exactly 8 hex digits as an unsigned 32-bit key id. */
    static int parseKeyIdHex(String hex, String field) {
        if (hex.length() != 8) {
            throw new IllegalArgumentException(field + " key id must be exactly 8 hex digits, got \""
                    + Checks.abbreviate(hex) + "\"");
        }
        for (int i = 0; i < 8; i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(field + " key id must be exactly 8 hex digits, got \""
                        + hex + "\"");
            }
        }
        return (int) Long.parseLong(hex, 16);
    }
}
