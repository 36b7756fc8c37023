package dev.auditlog.tck;

import dev.auditlog.FailoverSink;
import dev.auditlog.MemorySink;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;

class FailoverSinkContractTest extends AuditSinkContractTest {
    private final MemorySink primary = new MemorySink();
    private final MemorySink spool = new MemorySink();

    @Override
    protected AuditSink openSink() {
        return FailoverSink.builder(primary.reopen(), spool.reopen()).build();
    }

    @Override
    protected AuditReader openReader() {
        return primary.reader().orElseThrow();
    }
}
