package dev.auditlog.cli;

import dev.auditlog.file.FileAuditReader;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.jdbc.JdbcAuditReader;
import dev.auditlog.jdbc.JdbcAuditSink;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the storage a command names: a file log directory, or a JDBC URL. */
final class Stores {
    private Stores() {
    }

    static AuditSink sink(Path dir, String jdbc, Long segmentSize) {
        if (jdbc != null) {
            return jdbcSink(jdbc);
        }
        FileAuditSink.Builder b = FileAuditSink.builder(dir);
        if (segmentSize != null) {
            b.segmentSize(segmentSize);
        }
        return b.build();
    }

    static AuditReader reader(Path dir, String jdbc) throws IOException {
        if (jdbc != null) {
            return jdbcReader(jdbc);
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such log directory: " + dir);
        }
        return FileAuditReader.open(dir);
    }

    private static AuditSink jdbcSink(String url) {
        return JdbcAuditSink.builder(url).build();
    }

    static JdbcAuditReader jdbcReader(String url) {
        return JdbcAuditReader.builder(url).build();
    }
}
