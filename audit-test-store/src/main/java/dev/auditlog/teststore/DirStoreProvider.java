package dev.auditlog.teststore;

import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

import java.nio.file.Path;
import java.util.Optional;

/** {@code dirstore:<directory>}: a {@link DirStore} and its reader. No queries, no retention. */
public final class DirStoreProvider implements AuditSinkProvider {

    /** For {@link java.util.ServiceLoader}. */
    public DirStoreProvider() {
    }

    @Override
    public String scheme() {
        return "dirstore";
    }

    @Override
    public AuditSink create(String spec) {
        return new DirStore(dir(spec));
    }

    @Override
    public Optional<AuditReader> reader(String spec) {
        return Optional.of(new DirStoreReader(dir(spec)));
    }

    private static Path dir(String spec) {
        if (!spec.startsWith("dirstore:") || spec.length() == "dirstore:".length()) {
            throw new IllegalArgumentException("dirstore spec must be dirstore:<directory>, was \"" + spec + "\"");
        }
        return Path.of(spec.substring("dirstore:".length()));
    }
}
