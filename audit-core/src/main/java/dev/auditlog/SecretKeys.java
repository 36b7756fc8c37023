package dev.auditlog;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Classifies attribute names as secret-looking: the name, lower-cased with everything but {@code a-z 0-9} removed,
 * contains a secret word. Results are cached (bounded), so the check costs a map lookup per attribute.
 */
final class SecretKeys {
    /** The built-in words, normalised. */
    public static final Set<String> DEFAULT_WORDS = Set.of("password", "passwd", "passphrase", "pwd", "secret",
            "token", "apikey", "accesskey", "authorization", "bearer", "cookie", "session", "privatekey",
            "cardnumber", "creditcard", "cardno", "cvv", "cvc", "iban", "ssn", "credential");

    private static final SecretKeys DEFAULT = new SecretKeys(DEFAULT_WORDS, Set.of());
    private static final int CACHE_MAX = 4096;
    private static final String NONE = "";

    private final String[] words;
    private final Set<String> allowed;
    private final ConcurrentHashMap<String, String> cache = new ConcurrentHashMap<>();

    public SecretKeys(Collection<String> words, Set<String> allowedNormalised) {
        this.words = words.toArray(new String[0]);
        this.allowed = Set.copyOf(allowedNormalised);
    }

    public static SecretKeys defaults() {
        return DEFAULT;
    }

    /** Lower case, only {@code a-z 0-9}. */
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

    /** The secret word {@code name} contains, or null. */
    public String match(String name) {
        String hit = cache.get(name);
        if (hit != null) {
            return hit == NONE ? null : hit;
        }
        String n = normalise(name);
        String found = NONE;
        if (!allowed.contains(n)) {
            for (String w : words) {
                if (n.contains(w)) {
                    found = w;
                    break;
                }
            }
        }
        if (cache.size() < CACHE_MAX) {
            cache.put(name, found);
        }
        return found == NONE ? null : found;
    }
}
