package dev.auditlog.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where the audit records live in Kafka: the bootstrap servers, the topic, and any further Kafka client settings
 * (security, timeouts, compression). Parsed from a spec {@code kafka://host:port[,host:port...]/topic[?name=value&...]}
 * where each query parameter is a Kafka client setting, or built with {@link #builder(String, String)}.
 *
 * <p>Validated when made: a malformed address, an illegal topic name, an unknown setting, or one that would break the
 * audit guarantees ({@code acks}, {@code enable.idempotence}, serializers, {@code isolation.level}...) is refused
 * with a message naming it. Settings may hold secrets ({@code sasl.jaas.config}): {@link #toString()} never shows
 * them.
 */
public final class KafkaConnection {
    /** Kafka's rule for topic names. */
    public static final String TOPIC_RULE = "[A-Za-z0-9._-]{1,249}";
    private static final Pattern TOPIC = Pattern.compile(TOPIC_RULE);
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+):([0-9]{1,5})");
    /** Settings the sink, reader and collector choose themselves because the guarantees depend on them. */
    private static final Set<String> FIXED = Set.of(ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.PARTITIONER_CLASS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "interceptor.classes");
    private static final Set<String> KNOWN;

    static {
        Set<String> known = new TreeSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        KNOWN = Collections.unmodifiableSet(known);
    }

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, String> settings;

    private KafkaConnection(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.topic = b.topic;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
    }

    /**
     * Parses {@code kafka://host:port[,host:port...]/topic[?name=value&...]}; values are URL-decoded.
     *
     * @throws IllegalArgumentException naming the spec (without its query, which may hold secrets) and the rule
     */
    public static KafkaConnection parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String shown = display(spec);
        if (!spec.regionMatches(true, 0, "kafka://", 0, 8)) {
            throw new IllegalArgumentException("Kafka spec must start with \"kafka://\", was \"" + shown + "\"");
        }
        String rest = spec.substring(8);
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q + 1);
        String path = q < 0 ? rest : rest.substring(0, q);
        int slash = path.indexOf('/');
        if (slash < 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("Kafka spec \"" + shown + "\" names no topic: expected"
                    + " kafka://host:port[,host:port]/topic");
        }
        Builder b = builder(path.substring(0, slash), path.substring(slash + 1));
        if (!query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("Kafka spec \"" + shown + "\": query parameter must be"
                            + " name=value, was \"" + (eq == 0 ? "=…" : pair) + "\"");
                }
                b.setting(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return b.build();
    }

    /**
     * A builder.
     *
     * @param bootstrapServers {@code host:port[,host:port...]}
     * @param topic            the topic every chain is written to; it must exist (the sink never creates it: its
     *                         partitions, replication factor and {@code min.insync.replicas} are the operator's choice)
     */
    public static Builder builder(String bootstrapServers, String topic) {
        return new Builder(bootstrapServers, topic);
    }

    /** {@code host:port[,host:port...]}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The topic. */
    public String topic() {
        return topic;
    }

    /** The further Kafka client settings, in the order given. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The spec, for messages: without the settings, which may hold secrets. */
    @Override
    public String toString() {
        return "kafka://" + bootstrapServers + "/" + topic + (settings.isEmpty() ? "" : "?…");
    }

    /** A spec for messages: the query, which may hold secrets, cut off. */
    static String display(String spec) {
        int q = spec.indexOf('?');
        return q < 0 ? spec : spec.substring(0, q) + "?…";
    }

    /** Builds a {@link KafkaConnection}. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String topic;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder(String bootstrapServers, String topic) {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            if (bootstrapServers.isEmpty()) {
                throw new IllegalArgumentException("bootstrapServers must list at least one host:port, was empty");
            }
            for (String hp : bootstrapServers.split(",", -1)) {
                var m = HOST_PORT.matcher(hp);
                if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
                    throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port...] with a"
                            + " port of 0-65535, found \"" + hp + "\"");
                }
            }
            if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new IllegalArgumentException("topic must match " + TOPIC_RULE + " (and not be . or ..), was \""
                        + topic + "\"");
            }
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
        }

        /**
         * A Kafka client setting (producer, consumer or admin), such as {@code security.protocol} or
         * {@code delivery.timeout.ms}.
         *
         * @throws IllegalArgumentException for a name Kafka does not know, or one the audit guarantees fix
         */
        public Builder setting(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String n = name.toLowerCase(Locale.ROOT);
            if (FIXED.contains(n)) {
                throw new IllegalArgumentException("Kafka setting " + n + " cannot be set: the audit sink, reader"
                        + " and collector fix it (acks=all, idempotence, byte arrays, manual commits)");
            }
            if (!KNOWN.contains(n)) {
                throw new IllegalArgumentException("Kafka setting \"" + name + "\" is not a Kafka producer, consumer"
                        + " or admin setting");
            }
            settings.put(n, value);
            return this;
        }

        /** Builds the connection. */
        public KafkaConnection build() {
            return new KafkaConnection(this);
        }
    }
}
