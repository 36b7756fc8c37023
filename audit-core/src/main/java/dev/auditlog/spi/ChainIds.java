package dev.auditlog.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Chain ids, in one place. A <em>log</em> (such as {@code orders}) is written by one or more <em>instances</em>
 * (replicas, processes); each instance writes its own hash <em>chain</em>, named by its <b>chain id</b>
 * {@code <log id>@<instance id>} (for example {@code orders@pod-1}). A chain id without {@code @} is the single
 * chain of a log written before instance ids existed (auditlog 0.1); such a chain is named by its log id alone.
 *
 * <p>The chain id is what a record's {@code log} member carries, what a checkpoint's origin names
 * ({@code auditlog/<chain id>}), what an anchor files checkpoints under, and what a sink keys its storage by
 * (see {@code docs/FORMAT.md}, section "Chains"). At most 128 characters in all, so it fits every store's key.
 */
public final class ChainIds {
    /** The separator between the log id and the instance id. Not a log id character, so a chain id parses. */
    public static final char SEPARATOR = '@';
    /** The rule for an instance id: 1 to 64 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit. */
    public static final String INSTANCE_RULE = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** The rule for a chain id, as a regular expression; a chain id is also at most {@value #MAX_LENGTH} long. */
    public static final String RULE = "[A-Za-z0-9][A-Za-z0-9._-]*(?:@" + INSTANCE_RULE + ")?";
    /** The longest chain id. */
    public static final int MAX_LENGTH = 128;
    /** The system property naming this process's instance id. */
    public static final String INSTANCE_PROPERTY = "auditlog.instance";
    /** The environment variable naming this process's instance id (the system property wins). */
    public static final String INSTANCE_ENV = "AUDITLOG_INSTANCE";

    private static final Pattern INSTANCE = Pattern.compile(INSTANCE_RULE);
    private static final Pattern CHAIN = Pattern.compile(RULE);
    private static volatile String hostName;

    private ChainIds() {
    }

    /**
     * The chain id of instance {@code instanceId} of log {@code logId}.
     *
     * @throws IllegalArgumentException when either breaks its rule, or the chain id would be longer than 128
     */
    public static String of(String logId, String instanceId) {
        LogIds.check(logId);
        checkInstance("instanceId", instanceId);
        String chainId = logId + SEPARATOR + instanceId;
        if (chainId.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("logId + \"@\" + instanceId (the chain id) must be at most "
                    + MAX_LENGTH + " characters, was " + chainId.length() + " (\"" + chainId.substring(0, 40)
                    + "…\"): shorten the log id or the instance id");
        }
        return chainId;
    }

    /** Whether {@code chainId} follows the rule; false for null. */
    public static boolean isValid(String chainId) {
        return chainId != null && chainId.length() <= MAX_LENGTH && CHAIN.matcher(chainId).matches();
    }

    /**
     * Returns {@code chainId} when it follows the rule.
     *
     * @throws IllegalArgumentException naming the rule and the (shortened) value
     */
    public static String check(String chainId) {
        Objects.requireNonNull(chainId, "chainId");
        if (!isValid(chainId)) {
            throw new IllegalArgumentException("chain id (logId) must be <log id> or <log id>@<instance id> (" + RULE
                    + ", at most " + MAX_LENGTH + " characters), was " + SafeText.describe(chainId));
        }
        return chainId;
    }

    /**
     * Returns {@code instanceId} when it follows {@link #INSTANCE_RULE}.
     *
     * @param what the setting, for the message (e.g. {@code instanceId}, {@code -Dauditlog.instance})
     */
    public static String checkInstance(String what, String instanceId) {
        Objects.requireNonNull(instanceId, what);
        if (!INSTANCE.matcher(instanceId).matches()) {
            throw new IllegalArgumentException(what + " must match " + INSTANCE_RULE + " (1-64 letters, digits, '.',"
                    + " '_' or '-', starting with a letter or digit), was " + SafeText.describe(instanceId));
        }
        return instanceId;
    }

    /** The log a chain belongs to: the part before {@code @}, or the whole id for a single-chain log. */
    public static String logOf(String chainId) {
        int at = check(chainId).indexOf(SEPARATOR);
        return at < 0 ? chainId : chainId.substring(0, at);
    }

    /** The instance that writes a chain, or empty for the single chain of a log written before instance ids. */
    public static Optional<String> instanceOf(String chainId) {
        int at = check(chainId).indexOf(SEPARATOR);
        return at < 0 ? Optional.empty() : Optional.of(chainId.substring(at + 1));
    }

    /** Whether {@code chainId} is a chain of log {@code logId}. */
    public static boolean belongsTo(String chainId, String logId) {
        return isValid(chainId) && logOf(chainId).equals(logId);
    }

    /**
     * This process's default instance id: the system property {@value #INSTANCE_PROPERTY}, else the environment
     * variable {@value #INSTANCE_ENV}, else the host name (characters outside the rule replaced by {@code -},
     * cut to 64). The first two are checked, not repaired.
     *
     * @throws IllegalArgumentException when the property or the variable breaks {@link #INSTANCE_RULE}
     */
    public static String defaultInstanceId() {
        String p = System.getProperty(INSTANCE_PROPERTY);
        if (p != null) {
            return checkInstance("system property " + INSTANCE_PROPERTY, p);
        }
        String e = System.getenv(INSTANCE_ENV);
        if (e != null) {
            return checkInstance("environment variable " + INSTANCE_ENV, e);
        }
        return sanitize(hostName());
    }

    /** The host name, for instance ids and lease holder descriptions; never empty. */
    public static String hostName() {
        String h = hostName;
        if (h == null) {
            h = System.getenv("HOSTNAME"); // set in containers, and cheaper than a lookup
            if (h == null || h.isBlank()) {
                try {
                    h = InetAddress.getLocalHost().getHostName();
                } catch (IOException | RuntimeException ex) {
                    h = "localhost";
                }
            }
            hostName = h;
        }
        return h;
    }

    static String sanitize(String host) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < host.length() && b.length() < 64; i++) {
            char c = host.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            if (b.length() == 0 && !(c < 128 && Character.isLetterOrDigit(c))) {
                continue;
            }
            b.append(ok ? c : '-');
        }
        return b.length() == 0 ? "localhost" : b.toString();
    }
}
