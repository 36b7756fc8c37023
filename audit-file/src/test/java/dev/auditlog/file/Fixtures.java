package dev.auditlog.file;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditEvent;
import dev.auditlog.MemorySink;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.SealedRecord;
import dev.auditlog.tck.TckEvents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code count} events sealed by a log over memory: records 0 (started) .. count+1 (stopped). */
    static List<SealedRecord> records(String logId, int count) {
        MemorySink memory = new MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId(logId).sink(memory).shutdownHook(false).build()) {
            for (int i = 0; i < count; i++) {
                log.record(TckEvents.event(i));
            }
        }
        return memory.records(logId);
    }

    static List<SealedRecord> readAll(Path dir, String logId) throws IOException {
        try (FileAuditReader r = FileAuditReader.open(dir); Stream<SealedRecord> s = r.read(logId, 0)) {
            return s.toList();
        }
    }

    static VerificationReport verify(String logId, List<SealedRecord> records) {
        ChainVerifier v = ChainVerifier.fromGenesis(logId);
        records.forEach(v::accept);
        return v.finish();
    }

    static List<AuditEvent> events(List<SealedRecord> records, String action) {
        return records.stream().flatMap(r -> r.event().stream()).filter(e -> e.action().equals(action)).toList();
    }

    static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static List<Path> segmentFiles(Path logDir) throws IOException {
        try (Stream<Path> s = Files.list(logDir)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9]{20}\\.jsonl")).sorted().toList();
        }
    }

    static List<Path> filesMatching(Path logDir, String regex) throws IOException {
        try (Stream<Path> s = Files.list(logDir)) {
            return s.filter(p -> p.getFileName().toString().matches(regex)).sorted().toList();
        }
    }

}
