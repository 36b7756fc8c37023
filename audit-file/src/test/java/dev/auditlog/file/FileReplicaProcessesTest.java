package dev.auditlog.file;

import dev.auditlog.AuditEvent;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas as separate JVMs ({@link FileReplicaWriter}) sharing one audit directory: each instance writes its own
 * chain directory under its own lock; a second writer of a chain fails at start naming the holder; a writer killed
 * with SIGKILL loses its lock with its process, and its restart resumes the chain.
 */
class FileReplicaProcessesTest {
    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process start(String instance, int count, String mode, Path err) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dauditlog.instance="
                + instance, "-cp", System.getProperty("java.class.path"), FileReplicaWriter.class.getName(),
                dir.toString(), Integer.toString(count), mode).redirectError(err.toFile()).start();
        started.add(p);
        return p;
    }

    private static List<String> acks(Process p, int exit) throws Exception {
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit of %d, output %s", p.pid(), lines).isEqualTo(exit);
        return lines.stream().filter(l -> l.startsWith("acked ")).map(l -> l.substring(6)).toList();
    }

    private List<SealedRecord> chain(String chainId) throws IOException {
        try (FileAuditReader r = FileAuditReader.open(dir); Stream<SealedRecord> s = r.read(chainId, 0)) {
            return s.toList();
        }
    }

    private static Set<String> eventIds(List<SealedRecord> records) {
        Set<String> ids = new HashSet<>();
        records.stream().map(SealedRecord::event).flatMap(Optional::stream)
                .filter(e -> e.action().equals("order.create")).map(AuditEvent::eventId)
                .forEach(id -> ids.add(id.toString()));
        return ids;
    }

    @Test
    void replicasWriteTheirOwnChainsAndAKilledWritersRestartTakesItsChainOver() throws Exception {
        Process a = start("a", 10, "hold", dir.resolveSibling("a.err"));
        Process b = start("b", 10, "exit", dir.resolveSibling("b.err"));
        List<String> ackedA = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null && !line.equals("holding"); line = out.readLine()) {
            if (line.startsWith("acked ")) {
                ackedA.add(line.substring(6));
            }
        }
        List<String> ackedB = acks(b, 0);
        assertThat(ackedA).hasSize(10);
        assertThat(ackedB).hasSize(10);

        Path dupErr = dir.resolveSibling("dup.err");
        assertThat(acks(start("a", 1, "exit", dupErr), 2)).isEmpty();
        assertThat(Files.readString(dupErr)).contains("orders@a").contains("pid " + a.pid())
                .contains("instance a").contains("instance id");

        a.destroyForcibly(); // SIGKILL: the OS drops its lock on orders@a/.lock with the process
        assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> ackedRestart = acks(start("a", 4, "exit", dir.resolveSibling("a2.err")), 0);

        try (FileAuditReader r = FileAuditReader.open(dir)) {
            assertThat(r.chainIds()).containsExactly("orders@a", "orders@b");
            assertThat(r.chains("orders")).extracting(ChainInfo::chainId).containsExactly("orders@a", "orders@b");
        }
        for (String c : List.of("orders@a", "orders@b")) {
            ChainVerifier v = ChainVerifier.fromGenesis(c);
            List<SealedRecord> records = chain(c);
            records.forEach(v::accept);
            VerificationReport report = v.finish();
            assertThat(report.isValid()).as("chain %s: %s", c, report.findings()).isTrue();
        }
        assertThat(eventIds(chain("orders@a"))).containsAll(ackedA).containsAll(ackedRestart).hasSize(14);
        assertThat(eventIds(chain("orders@b"))).containsExactlyInAnyOrderElementsOf(ackedB);
    }
}
