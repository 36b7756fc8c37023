package dev.auditlog.jdbc;

import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditPage;
import dev.auditlog.AuditQuery;
import dev.auditlog.MemorySink;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.WholeLogVerifier;
import dev.auditlog.spi.ChainInfo;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas of one application as real, separate JVMs ({@link ReplicaWriter}) on one database: the same
 * configuration, different instance ids. Every acknowledged record is stored, each chain verifies, and the log-wide
 * verifier and query see them all; a second writer on a chain fails at start naming the holder; a writer killed
 * with SIGKILL has its lease taken over by its restart.
 */
abstract class AbstractReplicaProcessesTest {
    private static final String LOG = "orders";
    private static final int PER_PROCESS = 12;

    @TempDir
    Path tmp;

    private final String prefix = TestDatabase.uniquePrefix();
    private final List<Process> started = new ArrayList<>();
    private TestDatabase db;
    private SigningKey key;
    private Path keyFile;

    /** The database, reachable from other processes. */
    protected abstract TestDatabase database() throws Exception;

    private TestDatabase db() throws Exception {
        if (db == null) {
            db = database();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                for (String sql : JdbcSchema.statements(db.dialect(), prefix)) {
                    st.execute(sql); // installed once, before the replicas race to start
                }
            }
            key = Ed25519Keys.generate("auditlog/" + LOG);
            keyFile = tmp.resolve("audit.key");
            Ed25519Keys.writeSigningKey(keyFile, key);
        }
        return db;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (db != null) {
            db.drop(prefix);
        }
    }

    private Process start(String instance, int count, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = tmp.resolve(instance + "-" + started.size() + ".err");
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ReplicaWriter.class.getName(), db().url(), prefix, LOG,
                instance, Integer.toString(count), keyFile.toString(), mode)
                .redirectError(err.toFile()).start();
        started.add(p);
        return p;
    }

    /** Waits (bounded) for a child to exit and returns its acknowledged event ids; fails on another exit code. */
    private static List<String> acked(Process p, int expectedExit) throws Exception {
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the replica exits").isTrue();
        assertThat(p.exitValue()).as("exit code of replica %d; its output: %s", p.pid(), lines)
                .isEqualTo(expectedExit);
        return lines.stream().filter(l -> l.startsWith("acked ")).map(l -> l.substring(6)).toList();
    }

    private String stderr(String instance, int index) throws IOException {
        return Files.readString(tmp.resolve(instance + "-" + index + ".err"));
    }

    @Test
    void twoThenFourReplicasStoreEveryAcknowledgedRecordOnTheirOwnChains() throws Exception {
        Set<String> acked = new HashSet<>();
        for (int replicas : new int[] {2, 4}) {
            List<Process> round = new ArrayList<>();
            for (int i = 1; i <= replicas; i++) {
                round.add(start("node-" + i, PER_PROCESS, "exit")); // all at once, same configuration
            }
            for (Process p : round) {
                List<String> ids = acked(p, 0);
                assertThat(ids).hasSize(PER_PROCESS);
                acked.addAll(ids);
            }
        }
        assertThat(acked).hasSize(6 * PER_PROCESS);

        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            assertThat(reader.chains(LOG)).extracting(ChainInfo::chainId)
                    .containsExactly("orders@node-1", "orders@node-2", "orders@node-3", "orders@node-4");
            assertThat(reader.chains(LOG)).allSatisfy(c -> assertThat(c.latestCheckpoint()).isPresent());

            WholeLogVerifier.Report report = new WholeLogVerifier(LogVerifier.builder(key.verifierKey()).build())
                    .verify(reader, LOG);
            assertThat(report.findings()).as("log-wide findings; each chain's: %s", report.chains().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue() + " " + e.getValue().findings()).toList()).isEmpty();
            assertThat(report.chains()).hasSize(4);
            for (VerificationReport r : report.chains().values()) {
                assertThat(r.findings()).isEmpty();
                assertThat(r.checkpoints()).isPositive();
            }
            assertThat(report.isValid()).isTrue();

            // node-1 and node-2 ran twice: their restarts resumed their chains
            assertThat(events(reader, "orders@node-1", "audit.log.started")).hasSize(2);
            assertThat(events(reader, "orders@node-3", "audit.log.started")).hasSize(1);

            // the log-wide query sees every acknowledged record, page by page over the chains
            Set<String> seen = new HashSet<>();
            try (AuditLog reads = AuditLog.builder().logId("reads").instanceId("test").sink(new MemorySink())
                    .shutdownHook(false).build()) {
                JdbcAuditReader queries = db().reader(prefix).auditTo(reads).build();
                AuditQuery q = AuditQuery.builder().logId(LOG).action("order.create").pageSize(25).build();
                while (true) {
                    AuditPage page = queries.query(q, "auditor");
                    page.records().forEach(r -> seen.add(r.event().orElseThrow().eventId().toString()));
                    if (page.nextPageToken().isEmpty()) {
                        break;
                    }
                    q = q.toBuilder().pageToken(page.nextPageToken().get()).build();
                }
                AuditPage one = queries.query(AuditQuery.builder().logId(LOG).chainId("orders@node-4")
                        .action("order.create").pageSize(100).build(), "auditor");
                assertThat(one.records()).hasSize(PER_PROCESS).allSatisfy(r -> assertThat(r.logId())
                        .isEqualTo("orders@node-4"));
            }
            assertThat(seen).hasSize(6 * PER_PROCESS).containsAll(acked);
        }
    }

    @Test
    void aSecondWriterOnTheSameChainFailsAtStartAndAKilledWritersRestartTakesTheLeaseOver() throws Exception {
        Process holder = start("node-1", 3, "hold");
        List<String> holderAcks = new ArrayList<>();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null && !line.equals("holding"); line = out.readLine()) {
            if (line.startsWith("acked ")) {
                holderAcks.add(line.substring(6));
            }
        }
        assertThat(holderAcks).as("the holder acknowledged its records and holds the chain").hasSize(3);

        Process second = start("node-1", 3, "exit"); // same configuration, same instance id: a misconfiguration
        assertThat(acked(second, 2)).isEmpty();
        assertThat(stderr("node-1", 1)).contains("orders@node-1").contains("pid " + holder.pid())
                .contains("instance node-1").contains("instance id");

        holder.destroyForcibly(); // SIGKILL: no close, no lease released by the holder itself
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // The database drops the dead session's lock once it sees the connection gone: start the restart until the
        // lease is free, within a bound (a refused start exits 2 and leaves nothing behind).
        List<String> restartAcks = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (restartAcks == null) {
            Process restart = start("node-1", 3, "exit");
            String text = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(restart.waitFor(120, TimeUnit.SECONDS)).isTrue();
            if (restart.exitValue() == 0) {
                restartAcks = text.lines().filter(l -> l.startsWith("acked ")).map(l -> l.substring(6)).toList();
            } else {
                assertThat(restart.exitValue()).isEqualTo(2);
                assertThat(System.nanoTime()).as("the killed writer's lease is released within 60 s")
                        .isLessThan(deadline);
            }
        }
        assertThat(restartAcks).hasSize(3);

        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            VerificationReport r = LogVerifier.builder(key.verifierKey()).build().verify(reader, "orders@node-1");
            assertThat(r.findings()).isEmpty();
            assertThat(events(reader, "orders@node-1", "audit.log.started")).hasSize(2);
            Set<String> stored = new HashSet<>();
            events(reader, "orders@node-1", "order.create").forEach(e -> stored.add(e.eventId().toString()));
            assertThat(stored).containsAll(holderAcks).containsAll(restartAcks).hasSize(6);
            assertThat(new WholeLogVerifier(LogVerifier.builder(key.verifierKey()).build()).verify(reader, LOG)
                    .isValid()).isTrue();
        }
    }

    private static List<AuditEvent> events(JdbcAuditReader reader, String chain, String action) throws IOException {
        try (Stream<SealedRecord> s = reader.read(chain, 0)) {
            return s.map(SealedRecord::event).flatMap(Optional::stream).filter(e -> e.action().equals(action))
                    .toList();
        }
    }
}
