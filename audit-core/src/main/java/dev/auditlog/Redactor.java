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
import java.util.Optional;
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

    /**
     * The event with secrets and personal data replaced, or {@code event} itself when there is nothing to do: secret
     * attributes and {@link Sensitive} values (see {@link Redaction}), and secrets inside the message, the outcome
     * reason and the ids ({@link TextSecrets}).
     */
    AuditEvent apply(AuditEvent event) {
        if (nothingToDo(event)) {
            return event;
        }
        List<String> paths = new ArrayList<>();
        AuditEvent.Builder b = texts(event, paths);
        Map<String, Object> attributes = event.attributes();
        boolean attributesNeed = !attributes.isEmpty() && needs(attributes);
        if (b == null && !attributesNeed) {
            return event;
        }
        if (b == null) {
            b = event.toBuilder();
        }
        TreeMap<String, Object> out = new TreeMap<>();
        if (attributesNeed) {
            for (Map.Entry<String, Object> e : attributes.entrySet()) {
                Object v = transform(e.getKey(), e.getKey(), e.getValue(), paths);
                if (v != DROPPED) {
                    out.put(e.getKey(), v);
                }
            }
        } else {
            out.putAll(attributes);
        }
        paths.sort(null);
        redacted.add(paths.size());
        b.clearAttributes();
        for (Map.Entry<String, Object> e : out.entrySet()) {
            put(b, e.getKey(), e.getValue());
        }
        // Never overwrite the caller's own attribute: the list goes under the first free name.
        String listName = REDACTED_ATTRIBUTE;
        for (int i = 1; out.containsKey(listName); i++) {
            listName = REDACTED_ATTRIBUTE + "_" + i;
        }
        b.attribute(listName, paths);
        return b.build();
    }

    /**
     * Whether {@code event} certainly holds nothing to redact: no text that might hold a secret
     * ({@link TextSecrets#mightHold}) and no attribute that needs it. Allocates nothing, so that the usual event
     * costs the caller no garbage here.
     */
    private boolean nothingToDo(AuditEvent e) {
        if (TextSecrets.mightHold(e.actor().id()) || mightHold(e.actor().sessionId().orElse(null))
                || mightHold(e.message().orElse(null)) || mightHold(e.outcome().reason().orElse(null))
                || mightHold(e.traceId().orElse(null)) || mightHold(e.spanId().orElse(null))
                || mightHold(e.requestId().orElse(null)) || mightHold(e.correlationId().orElse(null))
                || mightHold(e.tenantId().orElse(null))) {
            return false;
        }
        List<Target> targets = e.targets();
        for (int i = 0; i < targets.size(); i++) {
            if (TextSecrets.mightHold(targets.get(i).id())) {
                return false;
            }
        }
        AttributeMap attributes = e.attributeMap();
        for (int i = 0; i < attributes.size(); i++) {
            Object v = attributes.value(i);
            if (keys.match(attributes.name(i)) != null || v instanceof Sensitive
                    || (v instanceof Map || v instanceof List) && needs(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean mightHold(String text) {
        return text != null && TextSecrets.mightHold(text);
    }

    /** Redacts secrets in the message, the outcome reason and the ids; null when there were none. */
    private static AuditEvent.Builder texts(AuditEvent e, List<String> paths) {
        AuditEvent.Builder b = null;
        String m = e.message().orElse(null);
        if (m != null && (m = changed(m, "message", paths)) != null) {
            b = e.toBuilder().message(m);
        }
        Outcome o = e.outcome();
        String reason = o.reason().orElse(null);
        if (reason != null && (reason = changed(reason, "outcome.reason", paths)) != null) {
            b = (b == null ? e.toBuilder() : b).outcome(Outcome.of(o.status(), o.reasonCode(), Optional.of(reason)));
        }
        String[] ids = {e.traceId().orElse(null), e.spanId().orElse(null), e.requestId().orElse(null),
            e.correlationId().orElse(null), e.tenantId().orElse(null)};
        String[] names = {"traceId", "spanId", "requestId", "correlationId", "tenantId"};
        for (int i = 0; i < ids.length; i++) {
            String v = ids[i] == null ? null : changed(ids[i], names[i], paths);
            if (v != null) {
                b = b == null ? e.toBuilder() : b;
                switch (i) {
                    case 0 -> b.traceId(v);
                    case 1 -> b.spanId(v);
                    case 2 -> b.requestId(v);
                    case 3 -> b.correlationId(v);
                    default -> b.tenantId(v);
                }
            }
        }
        Actor a = e.actor();
        String actorId = changed(a.id(), "actor.id", paths);
        String session = a.sessionId().map(sid -> changed(sid, "actor.sessionId", paths)).orElse(null);
        if (actorId != null || session != null) {
            Actor.Builder ab = a.toBuilder();
            if (actorId != null) {
                ab.id(actorId);
            }
            if (session != null) {
                ab.sessionId(session);
            }
            b = (b == null ? e.toBuilder() : b).actor(ab.build());
        }
        List<Target> targets = null;
        for (int i = 0; i < e.targets().size(); i++) {
            Target t = e.targets().get(i);
            String id = changed(t.id(), "targets[" + i + "].id", paths);
            if (id != null) {
                if (targets == null) {
                    targets = new ArrayList<>(e.targets());
                }
                targets.set(i, t.name().isPresent() ? Target.of(t.type(), id, t.name().get()) : Target.of(t.type(), id));
            }
        }
        if (targets != null) {
            b = (b == null ? e.toBuilder() : b).targets(targets);
        }
        return b;
    }

    /** The redacted text, or null when it held no secret. */
    private static String changed(String text, String path, List<String> paths) {
        String r = TextSecrets.redact(text);
        if (r == text) {
            return null;
        }
        paths.add(path);
        return r;
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
                throw new IllegalArgumentException("attribute " + path + " looks like a secret (its name holds the"
                        + " word \"" + word + "\"; rule redaction.secretKeys=REJECT, which was chosen over the default"
                        + " REDACT): do not record secrets, mark personal data with Sensitive.pii(...), or exempt the"
                        + " name with Redaction.builder().allowKey(...) (value not shown)");
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
