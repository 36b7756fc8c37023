package dev.auditlog.integrity;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditException;
import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.ChainHash;
import dev.auditlog.spi.EventCodec;
import dev.auditlog.spi.RecordSealer;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key rotation (docs/FORMAT.md section 12): recorded, followed by the verifier, and never implied. */
class KeyRotationTest {
    private static final String LOG = "rot";
    private static final SigningKey OLD = Ed25519Keys.generate("auditlog/rot", new SecureRandom());
    private static final SigningKey NEW = Ed25519Keys.generate("auditlog/rot", new SecureRandom());

    private final MemorySink sink = new MemorySink();

    private AuditLog.Builder log(SigningKey key) {
        return AuditLog.builder().singleChain().logId(LOG).sink(sink.reopen()).shutdownHook(false).checkpoints(key)
                .checkpointEvery(5, Duration.ofHours(1));
    }

    private static void write(AuditLog log, int n) {
        for (int i = 0; i < n; i++) {
            log.record(AuditEvent.builder().action("document.read").actor(Actor.user("u" + i))
                    .outcome(Outcome.success()).build());
        }
    }

    private VerificationReport verify(SigningKey first, SigningKey... more) throws IOException {
        LogVerifier.Builder b = LogVerifier.builder(first.verifierKey());
        for (SigningKey k : more) {
            b.alsoTrust(k.verifierKey());
        }
        return b.build().verify(sink.reader().orElseThrow(), LOG);
    }

    @Test
    void anUndeclaredKeyChangeFailsAtBuildNamingBothKeys() {
        try (AuditLog log = log(OLD).build()) {
            write(log, 7);
        }
        int stored = sink.records(LOG).size();
        assertThatThrownBy(() -> log(NEW).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining(OLD.verifierKey().keyIdHex())
                .hasMessageContaining(NEW.verifierKey().keyIdHex())
                .hasMessageContaining("rotateKeyFrom");
        assertThat(sink.records(LOG)).as("nothing written under the wrong key").hasSize(stored);
        SigningKey third = Ed25519Keys.generate("auditlog/rot", new SecureRandom());
        assertThatThrownBy(() -> log(NEW).rotateKeyFrom(third).build()).isInstanceOf(AuditException.class)
                .hasMessageContaining(OLD.verifierKey().keyIdHex()).hasMessageContaining("rotating from");
    }

    @Test
    void aDeclaredRotationIsRecordedAndVerifiesUnderTheTrustSet() throws IOException {
        try (AuditLog log = log(OLD).build()) {
            write(log, 7);
        }
        try (AuditLog log = log(NEW).rotateKeyFrom(OLD).build()) {
            write(log, 7);
        }
        List<SealedRecord> keyRecords = sink.records(LOG).stream()
                .filter(r -> r.type().equals(SealedRecord.TYPE_KEY)).toList();
        assertThat(keyRecords).hasSize(1);
        assertThat(keyRecords.get(0).lineText()).startsWith("{\"v\":2,");
        long at = keyRecords.get(0).sequence();

        VerificationReport both = verify(OLD, NEW);
        assertThat(both.findings()).isEmpty();
        assertThat(both.keyRanges()).hasSize(2);
        assertThat(both.keyRanges().get(0).key()).endsWith(OLD.verifierKey().keyIdHex());
        assertThat(both.keyRanges().get(0).lastSequence()).isEqualTo(at);
        assertThat(both.keyRanges().get(0).rotatedTo()).endsWith(NEW.verifierKey().keyIdHex());
        assertThat(both.keyRanges().get(1).key()).endsWith(NEW.verifierKey().keyIdHex());
        assertThat(both.keyRanges().get(1).firstSequence()).isGreaterThan(at);

        assertThat(verify(OLD).findings()).as("the old key alone: the verifier follows the rotation").isEmpty();
        assertThat(verify(NEW).isValid()).as("the new key alone cannot vouch for what the old one signed").isFalse();

        // A restart with the rotation still configured records nothing more; without it, the new key is the key.
        try (AuditLog log = log(NEW).rotateKeyFrom(OLD).build()) {
            write(log, 2);
        }
        try (AuditLog log = log(NEW).build()) {
            write(log, 2);
        }
        assertThat(sink.records(LOG).stream().filter(r -> r.type().equals(SealedRecord.TYPE_KEY))).hasSize(1);
        assertThat(verify(OLD, NEW).findings()).isEmpty();
        assertThatThrownBy(() -> log(OLD).build()).as("going back to a retired key is a key change too")
                .isInstanceOf(AuditException.class).hasMessageContaining(NEW.verifierKey().keyIdHex());
    }

    @Test
    void rotateKeyFromNeedsANewKey() {
        assertThatThrownBy(() -> log(OLD).rotateKeyFrom(OLD).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("same key");
        assertThatThrownBy(() -> AuditLog.builder().sink(sink).rotateKeyFrom(OLD).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("checkpoints(newKey)");
    }

    /** Records sealed by hand, so that the verifier sees what no writer of ours makes. */
    private static final class Chain {
        final RecordSealer sealer = new RecordSealer(LOG, 0, ChainHash.genesis(LOG));
        final CompactMerkleTree tree = CompactMerkleTree.empty();
        final List<SealedRecord> records = new ArrayList<>();
        final Instant t = Instant.parse("2026-12-01T10:00:00Z");

        Chain events(int n) {
            for (int i = 0; i < n; i++) {
                AuditEvent e = AuditEvent.builder().action("document.read").actor(Actor.user("u" + i))
                        .outcome(Outcome.success()).occurredAt(t).build();
                add(sealer.seal(t, SealedRecord.TYPE_EVENT, EventCodec.write(e)));
            }
            return this;
        }

        Chain checkpoint(SigningKey key) {
            String note = Checkpoint.of(Checkpoint.origin(LOG), tree.size(), tree.rootHash())
                    .withChainHash(sealer.chainHead()).withTime(t).sign(key);
            add(sealer.sealCheckpoint(t, note, tree.subtreeHashes()));
            return this;
        }

        Chain rotation(SigningKey from, SigningKey to) {
            String note = KeyRotation.of(LOG, tree.size(), tree.rootHash(), sealer.chainHead(), from.verifierKey(),
                    to.verifierKey(), t).sign(from, to);
            add(sealer.sealStatement(t, SealedRecord.TYPE_KEY, note, tree.subtreeHashes()));
            return this;
        }

        private void add(SealedRecord r) {
            records.add(r);
            tree.append(r.leafHash());
        }

        VerificationReport verify(SigningKey... trusted) throws IOException {
            LogVerifier.Builder b = LogVerifier.builder(trusted[0].verifierKey());
            for (int i = 1; i < trusted.length; i++) {
                b.alsoTrust(trusted[i].verifierKey());
            }
            return b.build().verify(new AuditReader() {
                @Override
                public java.util.Set<String> chainIds() {
                    return java.util.Set.of(LOG);
                }

                @Override
                public java.util.stream.Stream<SealedRecord> read(String logId, long from) {
                    return records.stream().filter(r -> r.sequence() >= from);
                }

                @Override
                public void close() {
                }
            }, LOG);
        }
    }

    @Test
    void aKeyChangeWithoutARotationRecordIsFoundEvenWhenBothKeysAreTrusted() throws IOException {
        VerificationReport r = new Chain().events(3).checkpoint(OLD).events(3).checkpoint(NEW).verify(OLD, NEW);
        assertThat(r.isValid()).isFalse();
        assertThat(r.firstFinding().orElseThrow().kind()).isEqualTo(Finding.Kind.CHECKPOINT_INVALID);
        assertThat(r.firstFinding().orElseThrow().message()).contains("without a key rotation record");
    }

    @Test
    void theRetiredKeyCannotSignAfterTheRotation() throws IOException {
        VerificationReport r = new Chain().events(3).checkpoint(OLD).rotation(OLD, NEW).events(2).checkpoint(OLD)
                .verify(OLD, NEW);
        assertThat(r.isValid()).isFalse();
        assertThat(r.firstFinding().orElseThrow().message()).contains("rotated away from");
        assertThat(new Chain().events(3).checkpoint(OLD).rotation(OLD, NEW).events(2).checkpoint(NEW).verify(OLD)
                .findings()).isEmpty();
    }

    @Test
    void aRotationNotSignedByTheLogsKeyIsInvalid() throws IOException {
        SigningKey thief = Ed25519Keys.generate("auditlog/rot", new SecureRandom());
        VerificationReport r = new Chain().events(3).checkpoint(OLD).rotation(thief, NEW).events(2).checkpoint(NEW)
                .verify(OLD);
        assertThat(r.findings()).extracting(Finding::kind).contains(Finding.Kind.KEY_ROTATION_INVALID,
                Finding.Kind.CHECKPOINT_INVALID);
    }

    @Test
    void aRotationSignedOnlyByTheOldKeyIsInvalid() throws IOException {
        Chain c = new Chain().events(3).checkpoint(OLD);
        String text = KeyRotation.of(LOG, c.tree.size(), c.tree.rootHash(), c.sealer.chainHead(), OLD.verifierKey(),
                NEW.verifierKey(), c.t).sign(OLD, NEW);
        String oldOnly = text.substring(0, text.lastIndexOf("\u2014 "));
        c.add(c.sealer.sealStatement(c.t, SealedRecord.TYPE_KEY, oldOnly, c.tree.subtreeHashes()));
        VerificationReport r = c.verify(OLD);
        assertThat(r.findings()).extracting(Finding::kind).contains(Finding.Kind.KEY_ROTATION_INVALID);
    }
}
