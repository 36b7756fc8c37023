package dev.auditlog.file;

import dev.auditlog.AuditLog;
import dev.auditlog.file.internal.FileAuditSinkProvider;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.tck.TckEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderTest {
    @TempDir
    Path dir;

    @Test
    void aFileSpecBuildsAWorkingSink() throws Exception {
        try (AuditLog log = AuditLog.builder().singleChain().logId("spec").shutdownHook(false)
                .sink("file:" + dir + "?durability=every_record&segmentSize=4096&segmentAge=PT1H&groupReadable=true")
                .build()) {
            log.record(TckEvents.event(1)).await();
        }
        assertThat(Fixtures.readAll(dir, "spec")).hasSize(3);
        assertThat(Fixtures.perms(dir.resolve("spec"))).isEqualTo("rwxr-x---");
        FileAuditSink sink = (FileAuditSink) new FileAuditSinkProvider().create("file:" + dir + "?durability=none");
        assertThat(sink.durability()).isEqualTo(Durability.NONE);
        assertThat(sink.name()).isEqualTo("file:" + dir);
    }

    @Test
    void badOptionsAreRejectedNamingOptionRuleAndValue() {
        FileAuditSinkProvider p = new FileAuditSinkProvider();
        assertThatThrownBy(() -> p.create("file:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no directory");
        assertThatThrownBy(() -> p.create("file:/x?colour=red")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option \"colour\"");
        assertThatThrownBy(() -> p.create("file:/x?durability=sometimes"))
                .hasMessageContaining("durability").hasMessageContaining("group_commit")
                .hasMessageContaining("\"sometimes\"");
        assertThatThrownBy(() -> p.create("file:/x?segmentSize=12"))
                .hasMessageContaining("segmentSize").hasMessageContaining(">= 4096").hasMessageContaining("\"12\"");
        assertThatThrownBy(() -> p.create("file:/x?segmentSize=big"))
                .hasMessageContaining("segmentSize").hasMessageContaining("\"big\"");
        assertThatThrownBy(() -> p.create("file:/x?segmentAge=1h"))
                .hasMessageContaining("segmentAge").hasMessageContaining("ISO-8601").hasMessageContaining("\"1h\"");
        assertThatThrownBy(() -> p.create("file:/x?segmentAge=-PT1H"))
                .hasMessageContaining("segmentAge").hasMessageContaining("positive");
        assertThatThrownBy(() -> p.create("file:/x?groupReadable=yes"))
                .hasMessageContaining("groupReadable").hasMessageContaining("true or false");
        assertThatThrownBy(() -> p.create("file:/x?durability")).hasMessageContaining("name=value");
    }

    @Test
    void theProviderOffersAReaderAndItsSinkRetention() throws Exception {
        try (AuditLog log = AuditLog.builder().singleChain().logId("r").shutdownHook(false).sink("file:" + dir).build()) {
            log.record(TckEvents.event(1)).await();
        }
        FileAuditSinkProvider p = new FileAuditSinkProvider();
        try (AuditReader reader = p.reader("file:" + dir + "?durability=none").orElseThrow()) {
            assertThat(reader).isInstanceOf(FileAuditReader.class);
            assertThat(reader.chainIds()).containsExactly("r");
            assertThat(Fixtures.readAll(dir, "r")).hasSize(3);
        }
        assertThat(p.create("file:" + dir).pruner().orElseThrow().cutPoint("r", 100))
                .as("one segment, the one being written: it stays").isZero();
        assertThatThrownBy(() -> p.create("file:" + dir).pruner().orElseThrow().cutPoint("nope", 1))
                .hasMessageContaining("no log \"nope\"");
        assertThatThrownBy(() -> p.reader("file:")).hasMessageContaining("names no directory");
    }
}
