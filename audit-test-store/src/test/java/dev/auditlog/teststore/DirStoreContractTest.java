package dev.auditlog.teststore;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.tck.AuditSinkContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DirStoreContractTest extends AuditSinkContractTest {
    @TempDir Path dir;
    @Override protected AuditSink openSink() { return new DirStore(dir); }
    @Override protected AuditReader openReader() { return new DirStoreReader(dir); }
}
