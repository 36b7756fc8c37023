package dev.auditlog.file;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing child JVM with SIGKILL at random moments and checks that every acknowledged record survives, the
 * chain verifies from genesis, and torn tails were quarantined and recorded. 20 rounds by default; set the system
 * property {@code auditlog.crashRounds} for more.
 */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedRecordsSurviveSigkill() throws Exception {
        int rounds = Integer.getInteger("auditlog.crashRounds", 20);
        long seed = Long.getLong("auditlog.crashSeed", System.nanoTime());
        Random random = new Random(seed);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Set<Long> acked = new TreeSet<>();
        int totalQuarantined = 0;
        for (int round = 0; round < rounds; round++) {
            int wantAcks = 1 + random.nextInt(300);
            Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), "crash")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int seen = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (seen < wantAcks && (line = out.readLine()) != null) {
                    if (line.startsWith("acked ")) {
                        acked.add(Long.parseLong(line.substring(6)));
                        seen++;
                    }
                }
                child.destroyForcibly(); // SIGKILL on Linux; also closes our end of its stdout
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(seen).as("round %d (seed %d): child acknowledged records", round, seed).isPositive();

            // a new log over the same directory must resume
            try (AuditLog log = AuditLog.builder().singleChain().logId("crash").shutdownHook(false)
                    .sink(FileAuditSink.builder(dir).build()).build()) {
                log.flush();
            }
            List<SealedRecord> records = Fixtures.readAll(dir, "crash");
            VerificationReport report = Fixtures.verify("crash", records);
            assertThat(report.findings()).as("round %d (seed %d)", round, seed).isEmpty();
            Set<Long> stored = records.stream().map(SealedRecord::sequence).collect(Collectors.toSet());
            assertThat(stored).as("round %d (seed %d): acknowledged records", round, seed).containsAll(acked);
            Set<String> quarantined = Fixtures.filesMatching(dir.resolve("crash"), ".*\\.quarantine-[0-9]+").stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            Set<String> noticed = Fixtures.events(records, "audit.file.recovered").stream()
                    .map(AuditEvent::attributes).map(a -> (String) a.get("quarantine")).collect(Collectors.toSet());
            assertThat(noticed).as("round %d (seed %d): quarantine files recorded in the chain", round, seed)
                    .isEqualTo(quarantined);
            totalQuarantined = quarantined.size();
        }
        System.out.println("CrashTest: " + rounds + " rounds (seed " + seed + "), " + acked.size()
                + " acknowledged records, " + totalQuarantined + " torn tails quarantined");
    }
}
