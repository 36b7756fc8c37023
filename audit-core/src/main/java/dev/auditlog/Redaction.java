package dev.auditlog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a log keeps secrets and personal data out of its records. Applied in {@code record()} on the caller's thread,
 * before the event is serialised, so no sink, spool, alert, listener, webhook or exception message ever sees the
 * original value.
 *
 * <p><b>Secret-looking attribute names.</b> An attribute name (at any depth, map keys included) is split into
 * words at every character other than a letter or digit and at camelCase humps; it is a secret when a word, or two
 * or three adjacent words run together, is one of {@link #DEFAULT_SECRET_WORDS} or a word added with
 * {@link Builder#secretWord(String)}, unless its last word says it describes a secret ({@code id}, {@code type},
 * {@code hint}, {@code name}, {@code length}, {@code expiry}, ...). So {@code password}, {@code user_password},
 * {@code X-Api-Key}, {@code Authorization}, {@code jwt}, {@code otp}, {@code pin}, {@code pw} and {@code mfa_code}
 * are secrets, and {@code sessionId}, {@code token_type}, {@code passwordHint} and {@code author} are not. The action
 * is {@link SecretKeyAction#REDACT} by default: the value is replaced, the event is kept, and the replacement is
 * counted in {@link AuditMetrics#redacted()}. {@link SecretKeyAction#REJECT} is an explicit opt-in.
 *
 * <p><b>Secrets in text.</b> The message, the outcome reason and the ids (trace, span, request, correlation, tenant,
 * actor and session ids, target ids) are searched for bearer and basic credentials, JWTs, password-like
 * {@code key=value} parameters and payment card numbers (13-19 digits passing the Luhn check); each is replaced by
 * {@value #REDACTED} and its field listed.
 *
 * <p><b>Personal data</b> marked with {@link Sensitive#pii(String)} is masked by default.
 *
 * <p><b>Outputs.</b> REDACT writes {@value #REDACTED}. HASH writes {@code hmac-sha256:<64 hex>} (or
 * {@code hmac-sha256-b64:<base64>}, see {@link HashEncoding}) of the value's UTF-8 bytes (non-string values: of
 * their Java string form), keyed with {@link Builder#hmacKey(byte[])} or, when none is given, a random key made
 * when the log starts (equal values then correlate only within that run). MASK keeps the first
 * {@link #maskPrefix()} and last {@link #maskSuffix()} chars around {@code ***}; values shorter than
 * {@code prefix + suffix + 4} chars become {@code ***}. DROP removes the value. Every changed path is listed,
 * sorted, in the record's {@code redacted} attribute (a list of strings such as {@code password},
 * {@code user.email}, {@code emails[1]}, {@code message}); when the event has its own attribute named
 * {@code redacted}, that one is kept and the list goes under the first free name of {@code redacted_1},
 * {@code redacted_2}, ...
 *
 * <p>Immutable; {@link #toString()} never shows the key.
 */
public final class Redaction {
    /** What a redacted value becomes. */
    public static final String REDACTED = "[REDACTED]";

    /** The built-in secret words, in their normalised form. */
    public static final Set<String> DEFAULT_SECRET_WORDS = SecretKeys.DEFAULT_WORDS;

    private static final Redaction DEFAULTS = builder().build();

    private final SecretKeyAction secretKeyAction;
    private final PiiAction piiAction;
    private final byte[] hmacKey;
    private final HashEncoding hashEncoding;
    private final int maskPrefix;
    private final int maskSuffix;
    private final Set<String> extraWords;
    private final Set<String> allowedKeys;

    private Redaction(Builder b) {
        this.secretKeyAction = b.secretKeyAction;
        this.piiAction = b.piiAction;
        this.hmacKey = b.hmacKey;
        this.hashEncoding = b.hashEncoding;
        this.maskPrefix = b.maskPrefix;
        this.maskSuffix = b.maskSuffix;
        this.extraWords = Set.copyOf(b.extraWords);
        this.allowedKeys = Set.copyOf(b.allowedKeys);
    }

    /** Secret keys redacted, PII masked (1 + 2 chars kept), random HMAC key, hex. */
    public static Redaction defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** What happens to secret-looking attributes. */
    public SecretKeyAction secretKeyAction() {
        return secretKeyAction;
    }

    /** What happens to {@link Sensitive} values. */
    public PiiAction piiAction() {
        return piiAction;
    }

    /** Whether an HMAC key was configured (otherwise a random one is made per log run). */
    public boolean hasHmacKey() {
        return hmacKey != null;
    }

    /** A copy of the configured HMAC key, if any. */
    public Optional<byte[]> hmacKey() {
        return Optional.ofNullable(hmacKey == null ? null : hmacKey.clone());
    }

    /** How hashes are written. */
    public HashEncoding hashEncoding() {
        return hashEncoding;
    }

    /** Chars kept at the start of a masked value. */
    public int maskPrefix() {
        return maskPrefix;
    }

    /** Chars kept at the end of a masked value. */
    public int maskSuffix() {
        return maskSuffix;
    }

    /** Secret words added to {@link #DEFAULT_SECRET_WORDS}, normalised. */
    public Set<String> extraSecretWords() {
        return extraWords;
    }

    /** Normalised attribute names exempted from the secret-name rule. */
    public Set<String> allowedKeys() {
        return allowedKeys;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Redaction r && r.secretKeyAction == secretKeyAction && r.piiAction == piiAction
                && Arrays.equals(r.hmacKey, hmacKey) && r.hashEncoding == hashEncoding && r.maskPrefix == maskPrefix
                && r.maskSuffix == maskSuffix && r.extraWords.equals(extraWords) && r.allowedKeys.equals(allowedKeys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secretKeyAction, piiAction, Arrays.hashCode(hmacKey), hashEncoding, maskPrefix, maskSuffix,
                extraWords, allowedKeys);
    }

    /** A summary, e.g. {@code secretKeys=REJECT, pii=MASK(1,2), hash=HEX, key=random}; never the key. */
    @Override
    public String toString() {
        return "secretKeys=" + secretKeyAction + ", pii=" + piiAction
                + (piiAction == PiiAction.MASK ? "(" + maskPrefix + "," + maskSuffix + ")" : "")
                + ", hash=" + hashEncoding + ", key=" + (hmacKey == null ? "random" : "configured")
                + (extraWords.isEmpty() ? "" : ", extraWords=" + new TreeSet<>(extraWords))
                + (allowedKeys.isEmpty() ? "" : ", allowedKeys=" + new TreeSet<>(allowedKeys));
    }

    /** Builds a {@link Redaction}; each setter validates at once. Not thread-safe. */
    public static final class Builder {
        private SecretKeyAction secretKeyAction = SecretKeyAction.REDACT;
        private PiiAction piiAction = PiiAction.MASK;
        private byte[] hmacKey;
        private HashEncoding hashEncoding = HashEncoding.HEX;
        private int maskPrefix = 1;
        private int maskSuffix = 2;
        private final List<String> extraWords = new ArrayList<>();
        private final List<String> allowedKeys = new ArrayList<>();

        private Builder() {
        }

        /**
         * What to do with secret-looking attribute names. Default {@link SecretKeyAction#REDACT}: the value is
         * replaced and the event kept; {@link SecretKeyAction#REJECT} (the event is refused on the caller's thread)
         * is an explicit choice.
         */
        public Builder secretKeys(SecretKeyAction action) {
            this.secretKeyAction = Objects.requireNonNull(action, "secretKeys");
            return this;
        }

        /** What to do with {@link Sensitive} values. Default {@link PiiAction#MASK}. */
        public Builder pii(PiiAction action) {
            this.piiAction = Objects.requireNonNull(action, "pii");
            return this;
        }

        /** The HMAC-SHA256 key for HASH: at least 16 bytes (copied). Default: random per log run. */
        public Builder hmacKey(byte[] key) {
            Objects.requireNonNull(key, "hmacKey");
            if (key.length < 16) {
                throw new IllegalArgumentException("hmacKey must be at least 16 bytes, was " + key.length + " bytes");
            }
            this.hmacKey = key.clone();
            return this;
        }

        /** How hashes are written. Default {@link HashEncoding#HEX}. */
        public Builder hashEncoding(HashEncoding encoding) {
            this.hashEncoding = Objects.requireNonNull(encoding, "hashEncoding");
            return this;
        }

        /** Chars MASK keeps at the start and the end: each 0–8. Default 1 and 2. */
        public Builder mask(int keepPrefix, int keepSuffix) {
            if (keepPrefix < 0 || keepPrefix > 8) {
                throw new IllegalArgumentException("mask.keepPrefix must be between 0 and 8, was " + keepPrefix);
            }
            if (keepSuffix < 0 || keepSuffix > 8) {
                throw new IllegalArgumentException("mask.keepSuffix must be between 0 and 8, was " + keepSuffix);
            }
            this.maskPrefix = keepPrefix;
            this.maskSuffix = keepSuffix;
            return this;
        }

        /** Adds a secret word (normalised: lower case, only {@code a-z 0-9}; at least 3 chars after that). */
        public Builder secretWord(String word) {
            extraWords.add(normalised("secretWord", word));
            return this;
        }

        /** Exempts an attribute name (compared normalised) from the secret-name rule, e.g. {@code session.count}. */
        public Builder allowKey(String name) {
            allowedKeys.add(normalised("allowKey", name));
            return this;
        }

        private static String normalised(String setting, String s) {
            Objects.requireNonNull(s, setting);
            String n = SecretKeys.normalise(s);
            if (n.length() < 3) {
                throw new IllegalArgumentException(setting + " must have at least 3 letters or digits, was \""
                        + s.toLowerCase(Locale.ROOT) + "\"");
            }
            return n;
        }

        /** The redaction settings. */
        public Redaction build() {
            return new Redaction(this);
        }
    }
}
