package dev.auditlog.kafka;

import dev.auditlog.spi.AuditSinkProvider;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spec is checked when it is given, with a message naming what is wrong; no broker needed. */
class KafkaConnectionTest {

    @Test
    void parsesServersTopicAndSettings() {
        KafkaConnection c = KafkaConnection.parse("kafka://k1:9092,[::1]:9093/audit.events?security.protocol=SSL"
                + "&sasl.jaas.config=secret%3Dvalue");
        assertThat(c.bootstrapServers()).isEqualTo("k1:9092,[::1]:9093");
        assertThat(c.topic()).isEqualTo("audit.events");
        assertThat(c.settings()).containsEntry("security.protocol", "SSL").containsEntry("sasl.jaas.config",
                "secret=value");
        assertThat(c.toString()).isEqualTo("kafka://k1:9092,[::1]:9093/audit.events?…").doesNotContain("secret");
    }

    @Test
    void refusesMalformedSpecsNamingTheRule() {
        assertThatThrownBy(() -> KafkaConnection.parse("kafka:/k1:9092/t")).hasMessageContaining("kafka://");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092")).hasMessageContaining("names no topic");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092/")).hasMessageContaining("names no topic");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1/t")).hasMessageContaining("host:port")
                .hasMessageContaining("\"k1\"");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:99999/t")).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092/bad topic")).hasMessageContaining(
                KafkaConnection.TOPIC_RULE);
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092/t?nonsense=1"))
                .hasMessageContaining("\"nonsense\" is not a Kafka");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092/t?novalue"))
                .hasMessageContaining("name=value");
    }

    @Test
    void theSettingsTheGuaranteesDependOnCannotBeChanged() {
        for (String fixed : new String[] {"acks", "enable.idempotence", "key.serializer", "isolation.level",
                "enable.auto.commit", "transactional.id", "group.id"}) {
            assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092/t?" + fixed + "=x"))
                    .as(fixed).hasMessageContaining(fixed + " cannot be set");
        }
    }

    @Test
    void aSecretInAMalformedSpecNeverReachesTheMessage() {
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1/t?sasl.jaas.config=password%3Dhunter2"))
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> KafkaConnection.parse("kafka://k1:9092?sasl.jaas.config=password%3Dhunter2"))
                .message().doesNotContain("hunter2");
    }

    @Test
    void theProviderIsFoundByScheme() {
        AuditSinkProvider kafka = ServiceLoader.load(AuditSinkProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.scheme().equals("kafka")).findFirst().orElseThrow();
        assertThat(kafka.create("kafka://localhost:9092/audit").name()).isEqualTo("kafka://localhost:9092/audit");
        assertThat(kafka.reader("kafka://localhost:9092/audit")).isPresent();
        assertThatThrownBy(() -> kafka.create("kafka://localhost/audit")).isInstanceOf(IllegalArgumentException.class);
    }
}
