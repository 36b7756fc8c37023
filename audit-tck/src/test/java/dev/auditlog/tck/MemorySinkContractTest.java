package dev.auditlog.tck;

import dev.auditlog.MemorySink;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;

class MemorySinkContractTest extends AuditSinkContractTest {
    private final MemorySink storage = new MemorySink();

    @Override
    protected AuditSink openSink() {
        return storage.reopen();
    }

    @Override
    protected AuditReader openReader() {
        return storage.reader().orElseThrow();
    }
}
