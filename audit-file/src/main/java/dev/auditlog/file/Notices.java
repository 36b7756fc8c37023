package dev.auditlog.file;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The events the writer hands the log to record into its chain (docs/FILE-FORMAT.md): what recovery quarantined and
 * which segments were abandoned. Kept until taken, so that none is lost between a failure and the log's next turn.
 */
final class Notices {
    static final String RECOVERED = "audit.file.recovered";
    static final String SEGMENT_ABANDONED = "audit.file.segment_abandoned";

    private final List<AuditEvent> pending = new ArrayList<>();

    /** Recovery moved {@code moved}, found at {@code offset} of {@code segment}, to {@code quarantine}. */
    void recovered(Path segment, long offset, byte[] moved, Path quarantine, String reason) {
        pending.add(warning(RECOVERED).attribute("file", segment.getFileName().toString())
                .attribute("offset", offset).attribute("length", moved.length)
                .attribute("sha256", SegmentFormat.HEX.formatHex(SegmentFormat.sha256().digest(moved)))
                .attribute("quarantine", quarantine.getFileName().toString()).attribute("reason", reason).build());
    }

    /** {@code segment} was abandoned; records from {@code firstUnforced} on were not known to be forced in it. */
    void segmentAbandoned(Path segment, String reason, long firstUnforced) {
        pending.add(warning(SEGMENT_ABANDONED).attribute("file", segment.getFileName().toString())
                .attribute("reason", reason).attribute("first_unforced_sequence", firstUnforced).build());
    }

    /** The pending notices, once. */
    List<AuditEvent> take() {
        List<AuditEvent> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    private static AuditEvent.Builder warning(String action) {
        return AuditEvent.builder().action(action).category(Category.SYSTEM).severity(Severity.WARNING)
                .actor(Actor.system("auditlog")).outcome(Outcome.success());
    }
}
