package dev.auditlog.file;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.tck.AuditSinkContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class FileSinkContractTest extends AuditSinkContractTest {
    @TempDir
    Path dir;

    @Override
    protected AuditSink openSink() {
        return FileAuditSink.builder(dir).build();
    }

    @Override
    protected AuditReader openReader() {
        return FileAuditReader.open(dir);
    }
}
