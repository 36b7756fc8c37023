package dev.auditlog.spi;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.Checkpoint;
import dev.auditlog.integrity.CompactMerkleTree;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerifierKey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/FORMAT.md's worked example, checked byte for byte against the code and an independent computation. */
class FormatExampleTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Fenced blocks whose info string is {@code text example:<name>}, by name. */
    static Map<String, String> examples(Path doc) throws IOException {
        Map<String, String> blocks = new HashMap<>();
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```text example:")) {
                String name = l.substring("```text example:".length()).trim();
                StringBuilder b = new StringBuilder();
                for (i++; !lines.get(i).equals("```"); i++) {
                    b.append(b.length() == 0 ? "" : "\n").append(lines.get(i));
                }
                blocks.put(name, b.toString());
            }
        }
        return blocks;
    }

    static Path doc(String name) {
        return Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve(name);
    }

    @Test
    void theWorkedExampleMatchesTheCodeByteForByte() throws Exception {
        Map<String, String> ex = examples(doc("FORMAT.md"));
        assertThat(ex).containsKeys("genesis", "record", "body", "leaf", "chain");

        AuditEvent event = AuditEvent.builder()
                .eventId(UUID.fromString("01936f3e-2a5c-7b2e-8c1d-4e5f60718293"))
                .occurredAt(Instant.parse("2026-11-22T09:15:30.123456789Z"))
                .action("authn_login_fail").category(Category.AUTHENTICATION)
                .actor(Actor.user("alice"))
                .target(Target.of("account", "alice"))
                .outcome(Outcome.failure("bad_password"))
                .origin(Origin.builder().ip("203.0.113.7").channel(Channel.UI).build())
                .message("line1\nline2 \u2028 \"q\" é")
                .attribute("attempt", 3)
                .build();
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T09:15:31Z"), ZoneOffset.UTC);
        byte[] genesis = dev.auditlog.spi.ChainHash.genesis("example");
        SealedRecord record = new RecordSealer("example", 0, genesis).seal(clock.instant(), "event", EventCodec.write(event));

        assertThat(record.lineText()).isEqualTo(ex.get("record"));
        byte[] line = ex.get("record").getBytes(StandardCharsets.UTF_8);
        byte[] body = ex.get("body").getBytes(StandardCharsets.UTF_8);
        assertThat(line).hasSize(582);
        assertThat(body).hasSize(506);
        assertThat(new String(line, 0, line.length - 76, StandardCharsets.UTF_8)).isEqualTo(ex.get("body"));

        // Independent computation, straight from the text of FORMAT.md section 3.
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update((byte) 0x03);
        md.update("auditlog/v1".getBytes(StandardCharsets.US_ASCII));
        md.update("example".getBytes(StandardCharsets.US_ASCII));
        byte[] g = md.digest();
        assertThat(HEX.formatHex(g)).isEqualTo(ex.get("genesis"));
        md.update((byte) 0x00);
        md.update(body);
        byte[] leaf = md.digest();
        assertThat(HEX.formatHex(leaf)).isEqualTo(ex.get("leaf")).isEqualTo(HEX.formatHex(record.leafHash()));
        md.update((byte) 0x02);
        md.update(g);
        md.update(leaf);
        byte[] chain = md.digest();
        assertThat(HEX.formatHex(chain)).isEqualTo(ex.get("chain")).isEqualTo(HEX.formatHex(record.chainHash()));
        assertThat(ex.get("record")).endsWith(",\"chain\":\"" + ex.get("chain") + "\"}");

        SealedRecord parsed = SealedRecord.parse(line);
        assertThat(parsed.sequence()).isZero();
        assertThat(parsed.logId()).isEqualTo("example");
        assertThat(parsed.event()).contains(event);

        // The checkpoint example: record 1, over the tree of record 0, signed with the RFC 8032 test key.
        SigningKey key = SigningKey.of("auditlog/example",
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(key.verifierKey().encode()).isEqualTo(ex.get("verifier-key"));
        CompactMerkleTree tree = CompactMerkleTree.empty();
        tree.append(leaf);
        Instant at = Instant.parse("2026-11-22T09:15:32Z");
        String note = Checkpoint.of("auditlog/example", 1, tree.rootHash()).withChainHash(chain).withTime(at)
                .sign(key);
        SealedRecord cp = new RecordSealer("example", 1, chain).sealCheckpoint(at, note, tree.subtreeHashes());
        assertThat(cp.lineText()).isEqualTo(ex.get("checkpoint-record"));

        ChainVerifier v = ChainVerifier.builder("example").publicKey(VerifierKey.parse(ex.get("verifier-key"))).build();
        v.accept(parsed);
        v.accept(SealedRecord.parse(ex.get("checkpoint-record").getBytes(StandardCharsets.UTF_8)));
        assertThat(v.finish().findings()).isEmpty();
        assertThat(v.finish().checkpoints()).isEqualTo(1);
    }
}
