package dev.auditlog.cli;

import dev.auditlog.AuditEvent;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.WholeLogVerifier;
import dev.auditlog.jdbc.JdbcAuditReader;
import dev.auditlog.spi.ChainIds;
import dev.auditlog.spi.SealedRecord;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.auditlog.cli.Run.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators querying at once, as separate {@code auditlog} processes on one database: every run answers, and every
 * read is recorded, signed, on the operator's own chain of {@code auditlog-reads} (two runs of one operator take
 * turns on that chain).
 */
class ConcurrentQueryProcessesTest {
    @TempDir
    Path tmp;

    private Server server;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void fourConcurrentQueriesByTwoOperatorsAreAllAnsweredAndRecorded() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
                tmp.toString()).start();
        // DB_CLOSE_DELAY=-1: the server keeps the database open, as a database server does. With H2's default (close
        // with the last connection) processes connecting at the same moment can reopen it concurrently, and records
        // committed through one opening were seen missing from the other (H2ReplicaProcessesTest; here a reads chain
        // once came back empty).
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/audit;DB_CLOSE_DELAY=-1";
        Path keys = tmp.resolve("keys");
        assertThat(run("keygen", "--out", keys.toString()).exit()).isZero();
        Run gen = run("generate", "--jdbc", url, "--private-key", keys.resolve("auditlog.key").toString(),
                "--log-id", "app", "--instance", "node-1", "--count", "30");
        assertThat(gen.exit()).as(gen.err()).isZero();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> runs = new ArrayList<>();
        for (String operator : List.of("alice", "bob", "alice", "bob")) {
            Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "query", url, "--log", "app",
                    "--as", operator, "--key", keys.resolve("auditlog.key").toString(),
                    "--page-size", "100").redirectErrorStream(true).start();
            started.add(p);
            runs.add(p);
        }
        for (Process p : runs) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("32 record(s)");
        }

        String host = QueryCommand.operatorInstance("x").substring(2);
        try (JdbcAuditReader reader = JdbcAuditReader.builder(url).build()) {
            assertThat(reader.chainIds()).contains("app@node-1", ChainIds.of("auditlog-reads", "alice." + host),
                    ChainIds.of("auditlog-reads", "bob." + host));
            long reads = 0;
            for (String chain : reader.chainIds()) {
                if (ChainIds.belongsTo(chain, "auditlog-reads")) {
                    try (Stream<SealedRecord> s = reader.read(chain, 0)) {
                        reads += s.map(SealedRecord::event).flatMap(Optional::stream).map(AuditEvent::action)
                                .filter(JdbcAuditReader.READ_ACTION::equals).count();
                    }
                }
            }
            assertThat(reads).as("every run's read is stored").isEqualTo(4);
            WholeLogVerifier.Report report = new WholeLogVerifier(LogVerifier.builder(
                    Ed25519Keys.readVerifierKey(keys.resolve("auditlog.pub"))).build()).verify(reader,
                    "auditlog-reads");
            assertThat(report.isValid()).as("%s", report).isTrue();
            assertThat(report.chains()).hasSize(2)
                    .allSatisfy((id, r) -> assertThat(r.checkpoints()).as("signed").isPositive());
        }
    }
}
