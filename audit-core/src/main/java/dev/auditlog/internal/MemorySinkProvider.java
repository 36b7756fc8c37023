package dev.auditlog.internal;

import dev.auditlog.spi.SafeText;
import dev.auditlog.MemorySink;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

/** Serves {@code memory:}: a new {@link MemorySink} over new storage. */
public final class MemorySinkProvider implements AuditSinkProvider {
    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public AuditSink create(String spec) {
        if (!spec.equals("memory:")) {
            throw new IllegalArgumentException("memory sink spec takes no options: expected \"memory:\", was "
                    + SafeText.describe(spec));
        }
        return new MemorySink();
    }
}
