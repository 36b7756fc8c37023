package dev.auditlog.spi;

import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainIdsTest {

    @Test
    void aChainIdIsTheLogIdAndTheInstanceIdAndSplitsBackAtItsOnlyAt() {
        String id = ChainIds.of("orders", "pod-1.eu_west");
        assertThat(id).isEqualTo("orders@pod-1.eu_west");
        assertThat(ChainIds.logOf(id)).isEqualTo("orders");
        assertThat(ChainIds.instanceOf(id)).contains("pod-1.eu_west");
        assertThat(ChainIds.logOf("orders")).isEqualTo("orders");
        assertThat(ChainIds.instanceOf("orders")).isEmpty();
        assertThat(ChainIds.belongsTo("orders@a", "orders")).isTrue();
        assertThat(ChainIds.belongsTo("orders", "orders")).isTrue();
        assertThat(ChainIds.belongsTo("orders2@a", "orders")).isFalse();
        assertThat(ChainIds.belongsTo("order@a", "orders")).isFalse();
    }

    @Test
    void badInstanceIdsAndChainIdsAreRefusedNamingTheRuleAndTheValue() {
        assertThatThrownBy(() -> ChainIds.of("orders", "pod 1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instanceId must match").hasMessageContaining("\"pod 1\"");
        assertThatThrownBy(() -> ChainIds.of("orders", "-pod")).hasMessageContaining(ChainIds.INSTANCE_RULE);
        assertThatThrownBy(() -> ChainIds.of("orders", "a@b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainIds.of("orders", "x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainIds.of("o".repeat(100), "x".repeat(40)))
                .hasMessageContaining("at most 128").hasMessageContaining("141");
        assertThat(ChainIds.isValid("a@b@c")).isFalse();
        assertThat(ChainIds.isValid("@b")).isFalse();
        assertThat(ChainIds.isValid("a@")).isFalse();
        assertThat(ChainIds.isValid("a/b")).isFalse();
    }

    @Test
    void theHostNameIsMadeToFitTheRule() {
        assertThat(ChainIds.sanitize("web-7.prod.example.com")).isEqualTo("web-7.prod.example.com");
        assertThat(ChainIds.sanitize("_pod:8080/ä")).isEqualTo("pod-8080--");
        assertThat(ChainIds.sanitize("x".repeat(80))).hasSize(64);
        assertThat(ChainIds.sanitize("::")).isEqualTo("localhost");
    }

    @Test
    void theInstanceComesFromTheBuilderElseTheSystemPropertyWhichIsChecked() {
        String saved = System.getProperty(ChainIds.INSTANCE_PROPERTY);
        try {
            System.setProperty(ChainIds.INSTANCE_PROPERTY, "from-property");
            try (AuditLog log = AuditLog.builder().logId("inst").sink(new MemorySink()).shutdownHook(false)
                    .build()) {
                assertThat(log.chainId()).isEqualTo("inst@from-property");
                assertThat(log.logId()).isEqualTo("inst");
            }
            try (AuditLog log = AuditLog.builder().logId("inst").instanceId("explicit").sink(new MemorySink())
                    .shutdownHook(false).build()) {
                assertThat(log.chainId()).isEqualTo("inst@explicit");
            }
            System.setProperty(ChainIds.INSTANCE_PROPERTY, "bad value");
            assertThatThrownBy(() -> AuditLog.builder().logId("inst").sink(new MemorySink()).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("system property auditlog.instance must match")
                    .hasMessageContaining("\"bad value\"");
        } finally {
            if (saved == null) {
                System.clearProperty(ChainIds.INSTANCE_PROPERTY);
            } else {
                System.setProperty(ChainIds.INSTANCE_PROPERTY, saved);
            }
        }
        assertThatThrownBy(() -> AuditLog.builder().instanceId("no/slash"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instanceId must match");
    }
}
