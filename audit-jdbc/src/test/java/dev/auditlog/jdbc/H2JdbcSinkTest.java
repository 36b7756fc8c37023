package dev.auditlog.jdbc;

import dev.auditlog.AuditLog;
import dev.auditlog.integrity.VerificationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Triggers, many nodes and queries on embedded H2, and the {@code jdbc:h2:} spec string. */
class H2JdbcSinkTest extends AbstractJdbcSinkTest {
    @TempDir
    Path dir;

    @Override
    protected TestDatabase database() {
        return TestDatabase.h2(dir);
    }

    @Test
    void theSpecStringOpensAnH2Sink() throws Exception {
        String url = "jdbc:h2:file:" + dir + "/spec";
        try (AuditLog log = AuditLog.builder().singleChain().logId("spec").sink(url).shutdownHook(false).build()) {
            for (int i = 0; i < 10; i++) {
                log.record(event(i));
            }
        }
        try (JdbcAuditReader reader = JdbcAuditReader.builder(url).build()) {
            VerificationReport report = Verify.chain(reader, "spec");
            assertThat(report.isValid()).isTrue();
            assertThat(report.records()).isEqualTo(12);
        }
    }
}
