package dev.auditlog;

import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.Interception;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a {@link Redaction} to events on the caller's thread, as the log's first interceptor: it always runs, so
 * no other interceptor, sink or record ever sees a secret. An event with nothing to redact is passed on as is,
 * after one pass over its attribute names (a cached lookup each) and no allocation beyond the iterators.
 */
final class Redactor implements AuditInterceptor {
    /** The attribute listing the redacted paths. */
    static final String REDACTED_ATTRIBUTE = "redacted";

    private final Redaction redaction;
    private final SecretKeys keys;
    private final ThreadLocal<Mac> mac;
    private final java.util.concurrent.atomic.LongAdder redacted = new java.util.concurrent.atomic.LongAdder();

    Redactor(Redaction redaction) {
        this.redaction = redaction;
        if (redaction.extraSecretWords().isEmpty() && redaction.allowedKeys().isEmpty()) {
            this.keys = SecretKeys.defaults();
        } else {
            Set<String> words = new HashSet<>(SecretKeys.DEFAULT_WORDS);
            words.addAll(redaction.extraSecretWords());
            this.keys = new SecretKeys(words, redaction.allowedKeys());
        }
        byte[] key = redaction.hmacKey().orElseGet(() -> {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return k;
        });
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    Redaction redaction() {
        return redaction;
    }

    /** Values replaced or dropped since the log started, for {@link AuditMetrics#redacted()}. */
    long redactedCount() {
        return redacted.sum();
    }

    @Override
    public String name() {
        return "redaction";
    }

    @Override
    public Interception beforeSeal(AuditEvent event, Call call) {
        return Interception.proceed(apply(event));
    }

    @Override
    public Map<String, Object> startedAttributes() {
        return redaction.equals(Redaction.defaults()) ? Map.of() : Map.of("redaction", redaction.toString());
    }

    /** The event with secrets and personal data replaced, or {@code event} itself when there is nothing to do. */
    AuditEvent apply(AuditEvent event) {
        Map<String, Object> attributes = event.attributes();
        if (attributes.isEmpty() || !needs(attributes)) {
            return event;
        }
        List<String> paths = new ArrayList<>();
        TreeMap<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            Object v = transform(e.getKey(), e.getKey(), e.getValue(), paths);
            if (v != DROPPED) {
                out.put(e.getKey(), v);
            }
        }
        paths.sort(null);
        redacted.add(paths.size());
        AuditEvent.Builder b = event.toBuilder().clearAttributes();
        for (Map.Entry<String, Object> e : out.entrySet()) {
            put(b, e.getKey(), e.getValue());
        }
        b.attribute(REDACTED_ATTRIBUTE, paths);
        return b.build();
    }

    /** Keyed hash of a string in the configured encoding, with its prefix. */
    public String hash(String value) {
        byte[] h = mac.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
        return redaction.hashEncoding() == HashEncoding.HEX ? "hmac-sha256:" + HexFormat.of().formatHex(h)
                : "hmac-sha256-b64:" + Base64.getEncoder().encodeToString(h);
    }

    /** MASK applied to a value. */
    public String mask(String value) {
        int p = redaction.maskPrefix();
        int s = redaction.maskSuffix();
        if (value.length() < p + s + 4) {
            return "***";
        }
        int start = p;
        if (start > 0 && Character.isHighSurrogate(value.charAt(start - 1))) {
            start--;
        }
        int end = value.length() - s;
        if (end < value.length() && Character.isLowSurrogate(value.charAt(end))) {
            end++;
        }
        return value.substring(0, start) + "***" + value.substring(end);
    }

    private static final Object DROPPED = new Object();

    private boolean needs(Object value) {
        if (value instanceof Sensitive) {
            return true;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (keys.match((String) e.getKey()) != null || needs(e.getValue())) {
                    return true;
                }
            }
        } else if (value instanceof List<?> l) {
            for (Object o : l) {
                if (needs(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Object transform(String path, String key, Object value, List<String> paths) {
        String word = key == null ? null : keys.match(key);
        if (word != null) {
            SecretKeyAction action = redaction.secretKeyAction();
            if (action == SecretKeyAction.REJECT) {
                throw new IllegalArgumentException("attribute " + path + " looks like a secret (its name contains \""
                        + word + "\"; rule redaction.secretKeys=REJECT): do not record secrets, mark personal data"
                        + " with Sensitive.pii(...), or configure Redaction.builder().secretKeys(REDACT or HASH)"
                        + " (value not shown)");
            }
            paths.add(path);
            if (action == SecretKeyAction.REDACT) {
                return Redaction.REDACTED;
            }
            return hash(value instanceof Sensitive s ? s.reveal() : String.valueOf(plain(value)));
        }
        if (value instanceof Sensitive s) {
            paths.add(path);
            switch (redaction.piiAction()) {
                case MASK:
                    return mask(s.reveal());
                case HASH:
                    return hash(s.reveal());
                default:
                    return DROPPED;
            }
        }
        if (value instanceof Map<?, ?> m) {
            TreeMap<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = (String) e.getKey();
                Object v = transform(path + "." + k, k, e.getValue(), paths);
                if (v != DROPPED) {
                    out.put(k, v);
                }
            }
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                Object v = transform(path + "[" + i + "]", null, l.get(i), paths);
                if (v != DROPPED) {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    /** A value's string form for hashing, with any nested Sensitive revealed (it is hashed, never shown). */
    private static Object plain(Object value) {
        if (value instanceof Sensitive s) {
            return s.reveal();
        }
        if (value instanceof Map<?, ?> m) {
            TreeMap<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put((String) k, plain(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(plain(v)));
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static void put(AuditEvent.Builder b, String name, Object v) {
        if (v instanceof String s) {
            b.attribute(name, s);
        } else if (v instanceof Long l) {
            b.attribute(name, l.longValue());
        } else if (v instanceof Boolean bo) {
            b.attribute(name, bo.booleanValue());
        } else if (v instanceof List<?> l) {
            b.attribute(name, l);
        } else if (v instanceof Map<?, ?> m) {
            b.attribute(name, (Map<String, ?>) m);
        } else {
            throw new IllegalStateException("unexpected attribute type " + v.getClass().getName());
        }
    }
}
