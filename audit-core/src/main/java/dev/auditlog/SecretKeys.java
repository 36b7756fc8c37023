package dev.auditlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classifies attribute names as secret-looking, by words rather than substrings. A name is split into words at
 * every character other than a letter or digit and at camelCase humps ({@code X-Api-Key} → x, api, key;
 * {@code passwordHint} → password, hint; {@code mfa_code} → mfa, code). It is a secret when one word, or two or three
 * adjacent words run together, is a secret word ({@code pw}, {@code api}+{@code key} = {@code apikey}), unless the
 * last word says the value describes a secret rather than being one ({@code sessionId}, {@code token_type},
 * {@code passwordHint}, {@code accessKeyId}). Results are cached (bounded).
 */
final class SecretKeys {
    /** The built-in words, normalised (lower case a-z 0-9); a word may span up to three adjacent name words. */
    public static final Set<String> DEFAULT_WORDS = Set.of("password", "passwd", "passphrase", "passcode", "pwd", "pw",
            "pass", "secret", "token", "jwt", "otp", "totp", "hotp", "pin", "pincode", "auth", "authorization",
            "bearer", "cookie", "session", "apikey", "accesskey", "privatekey", "privkey", "secretkey", "signingkey",
            "encryptionkey", "sessionkey", "masterkey", "signature", "credential", "credentials", "cardnumber",
            "creditcard", "cardno", "cvv", "cvc", "iban", "ssn", "mfacode", "otpcode", "authcode",
            "verificationcode", "recoverycode", "backupcode");

    /** Last words that make a name describe a secret rather than hold one. */
    static final Set<String> DESCRIPTORS = Set.of("id", "ids", "type", "types", "hint", "hints", "name", "names",
            "length", "len", "count", "policy", "expiry", "expires", "expired", "expiration", "age", "at", "time",
            "date", "version", "required", "enabled", "strength", "format", "kind", "scheme", "method", "methods",
            "status", "changed", "reset", "updated", "created", "provider", "issuer", "url", "uri", "endpoint",
            "algorithm", "alg", "ttl", "valid", "present", "set", "used", "attempts", "rotated", "label");

    private static final SecretKeys DEFAULT = new SecretKeys(DEFAULT_WORDS, Set.of());
    private static final int CACHE_MAX = 4096;
    private static final String NONE = "";

    private final Set<String> words;
    private final Set<String> allowed;
    private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

    public SecretKeys(Collection<String> words, Set<String> allowedNormalised) {
        this.words = Set.copyOf(words);
        this.allowed = Set.copyOf(allowedNormalised);
    }

    public static SecretKeys defaults() {
        return DEFAULT;
    }

    /** Lower case, only {@code a-z 0-9}: how secret words and allowed names are compared. */
    public static String normalise(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The words of a name: split at non-alphanumerics and camelCase humps, lower-cased. */
    static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                flush(w, out);
                continue;
            }
            if (w.length() > 0 && Character.isUpperCase(c)) {
                char prev = name.charAt(i - 1);
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
                    flush(w, out); // fooBar, foo2Bar, HTTPServer -> http, server
                }
            }
            w.append(Character.toLowerCase(c));
        }
        flush(w, out);
        return out;
    }

    private static void flush(StringBuilder w, List<String> out) {
        if (w.length() > 0) {
            out.add(w.toString().toLowerCase(Locale.ROOT));
            w.setLength(0);
        }
    }

    /** The secret word {@code name} holds, or null. */
    public String match(String name) {
        String hit = cache.get(name);
        if (hit != null) {
            return hit == NONE ? null : hit;
        }
        String found = NONE;
        if (!allowed.contains(normalise(name))) {
            List<String> ws = words(name);
            if (!ws.isEmpty() && !(ws.size() > 1 && DESCRIPTORS.contains(ws.get(ws.size() - 1)))) {
                outer:
                for (int i = 0; i < ws.size(); i++) {
                    StringBuilder run = new StringBuilder();
                    for (int j = i; j < Math.min(ws.size(), i + 3); j++) {
                        run.append(ws.get(j));
                        if (words.contains(run.toString())) {
                            found = run.toString();
                            break outer;
                        }
                    }
                }
            }
        }
        if (cache.size() < CACHE_MAX) {
            cache.put(name, found);
        }
        return found == NONE ? null : found;
    }
}
