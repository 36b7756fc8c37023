package dev.auditlog.integrity;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainVerifierTest {
    private List<SealedRecord> records;

    @BeforeEach
    void writeALog() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId("v").sink(sink).shutdownHook(false).build()) {
            for (int i = 0; i < 20; i++) {
                log.record(AuditEvent.builder().action("document.read").actor(Actor.user("u" + i))
                        .outcome(Outcome.success()).message("record " + i).build());
            }
        }
        records = new ArrayList<>(sink.records("v"));
    }

    private VerificationReport verify(List<SealedRecord> list) {
        ChainVerifier v = ChainVerifier.fromGenesis(records.get(0).logId());
        list.forEach(v::accept);
        return v.finish();
    }

    private static SealedRecord edit(SealedRecord r, String from, String to) {
        String text = r.lineText();
        assertThat(text).contains(from);
        return SealedRecord.parse(text.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUntouchedLogVerifies() {
        VerificationReport report = verify(records);
        assertThat(report.isValid()).isTrue();
        assertThat(report.records()).isEqualTo(22);
        assertThat(report.nextSequence()).isEqualTo(22);
        assertThat(report.chainHead()).isEqualTo(records.get(21).chainHash());
    }

    @Test
    void anEditIsFoundAtTheEditedRecord() {
        records.set(7, edit(records.get(7), "record 6", "record X"));
        VerificationReport report = verify(records);
        assertThat(report.firstFinding()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.CHAIN_MISMATCH);
            assertThat(f.sequence()).isEqualTo(7);
        });
        assertThat(report.findings()).hasSize(1);
    }

    @Test
    void aDeletionIsAGap() {
        records.remove(5);
        VerificationReport report = verify(records);
        assertThat(report.firstFinding()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo(Finding.Kind.SEQUENCE_GAP);
            assertThat(f.sequence()).isEqualTo(6);
        });
    }

    @Test
    void aReorderIsFound() {
        SealedRecord r = records.remove(9);
        records.add(10, r);
        VerificationReport report = verify(records);
        assertThat(report.firstFinding()).hasValueSatisfying(f -> assertThat(f.sequence()).isEqualTo(10));
        assertThat(report.findings()).extracting(Finding::kind).contains(Finding.Kind.SEQUENCE_REPEAT);
    }

    @Test
    void aRecordFromAnotherLogIsFound() {
        MemorySink other = new MemorySink();
        try (AuditLog log = AuditLog.builder().logId("w").sink(other).shutdownHook(false).build()) {
            log.record(AuditEvent.builder().action("x.y").actor(Actor.user("u")).outcome(Outcome.success()).build());
        }
        records.set(1, other.records("w").get(1));
        assertThat(verify(records).findings()).extracting(Finding::kind)
                .contains(Finding.Kind.WRONG_LOG, Finding.Kind.CHAIN_MISMATCH);
    }

    @Test
    void resumingAtATrustedHeadChecksOnlyTheRest() {
        ChainVerifier v = ChainVerifier.resumingAt(records.get(0).logId(), 10, records.get(9).chainHash());
        records.subList(10, records.size()).forEach(v::accept);
        assertThat(v.finish().isValid()).isTrue();
        assertThatThrownBy(() -> ChainVerifier.resumingAt(records.get(0).logId(), 10, new byte[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedOrRandomLinesOnlyEverRaiseIllegalArgumentException() {
        Random random = new Random(42);
        byte[] good = records.get(3).line();
        for (int i = 0; i < 5000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = good.clone();
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            } else {
                bytes = new byte[random.nextInt(700)];
                random.nextBytes(bytes);
            }
            try {
                SealedRecord r = SealedRecord.parse(bytes);
                r.event(); // may or may not parse; only IllegalArgumentException allowed
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }
}
