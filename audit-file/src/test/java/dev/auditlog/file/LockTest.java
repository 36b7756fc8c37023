package dev.auditlog.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRejectedWithTheDirectoryAndTheHolder() throws Exception {
        try (FileAuditSink first = FileAuditSink.builder(dir).build()) {
            first.open("locked");
            String holder = Files.readString(dir.resolve("locked").resolve(".lock"));
            assertThat(holder).contains("pid " + ProcessHandle.current().pid());
            try (FileAuditSink second = FileAuditSink.builder(dir).build()) {
                assertThatThrownBy(() -> second.open("locked")).isInstanceOf(IOException.class)
                        .hasMessageContaining(dir.resolve("locked").toAbsolutePath().toString())
                        .hasMessageContaining("pid " + ProcessHandle.current().pid());
            }
            // other logs in the same directory are independent
            try (FileAuditSink other = FileAuditSink.builder(dir).build()) {
                assertThat(other.open("other")).isEmpty();
            }
        }
        // released on close
        try (FileAuditSink again = FileAuditSink.builder(dir).build()) {
            assertThat(again.open("locked")).isEmpty();
        }
    }
}
