package dev.auditlog.cli;

import dev.auditlog.AuditLog;
import dev.auditlog.FailoverSink;
import dev.auditlog.MemorySink;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.jdbc.JdbcAuditSink;
import dev.auditlog.spi.CheckpointAnchor;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** No secret in any output channel; keys, anchors and logs private whatever the umask. */
class SecretsAndPermissionsTest {
    private static final String PASSWORD = "Sup3rS3cretPW";
    private static final String URL = "jdbc:mariadb://root:" + PASSWORD + "@127.0.0.1:3306/x";

    @TempDir
    Path tmp;

    @Test
    void aPlantedPasswordAppearsInNoOutputChannel() throws Exception {
        Path keys = tmp.resolve("keys");
        assertThat(Run.run("keygen", "--out", keys.toString()).exit()).isZero();
        String priv = keys.resolve("auditlog.key").toString();
        String pub = keys.resolve("auditlog.pub").toString();
        ByteArrayOutputStream slf4j = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        List<String> channels = new ArrayList<>();
        System.setErr(new PrintStream(slf4j, true, StandardCharsets.UTF_8)); // SLF4J (simple) and drivers print here
        System.setOut(new PrintStream(slf4j, true, StandardCharsets.UTF_8));
        try {
            List<List<String>> commands = List.of(
                    List.of("generate", "--jdbc", URL, "--private-key", priv, "--count", "3"),
                    List.of("verify", "--jdbc", URL, "--public-key", pub),
                    List.of("verify", URL, "--public-key", pub),
                    List.of("query", "--jdbc", URL, "--log", "default"),
                    List.of("tail", "--jdbc", URL),
                    List.of("prune", "--jdbc", URL, "--before", "2026-01-01", "--private-key", priv),
                    List.of("prove", "inclusion", "--jdbc", URL, "--seq", "1"),
                    List.of("generate", "--jdbc", URL + "?password=" + PASSWORD, "--private-key", priv, "--count",
                            "1"));
            for (List<String> args : commands) {
                Run r = Run.run(args.toArray(String[]::new));
                assertThat(r.exit()).as("%s: %s", args, r.err()).isEqualTo(3);
                assertThat(r.err()).as("%s", args).isNotBlank();
                channels.add(r.out());
                channels.add(r.err());
            }
            // exception messages (with their causes) of the library itself
            Throwable t = catchThrowable(() -> JdbcAuditSink.builder(URL).build().open("x"));
            for (Throwable c = t; c != null; c = c.getCause()) {
                channels.add(String.valueOf(c.getMessage()));
                channels.add(c.toString());
            }
            // stored notices: a failover log whose primary cannot be opened records why, without the password
            MemorySink spool = new MemorySink();
            try (AuditLog log = AuditLog.builder().singleChain().logId("fo").shutdownHook(false)
                    .sink(FailoverSink.builder(JdbcAuditSink.builder(URL).build(), spool).build()).build()) {
                log.record(dev.auditlog.AuditEvent.builder().action("doc.read").actor(dev.auditlog.Actor.user("u"))
                        .outcome(dev.auditlog.Outcome.success()).build()).durable().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
            for (SealedRecord r : spool.records("fo")) {
                channels.add(r.lineText());
            }
            assertThat(String.join("\n", spool.records("fo").stream().map(SealedRecord::lineText).toList()))
                    .contains("audit.sink.failover");
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        channels.add(slf4j.toString(StandardCharsets.UTF_8));
        for (String channel : channels) {
            assertThat(channel).doesNotContain(PASSWORD);
        }
    }

    @Test
    void keysAnchorsAndLogsArePrivateUnderUmask000() throws Exception {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return; // nothing to check on a file system without POSIX permissions
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path") + System.getProperty("path.separator")
                + System.getProperty("jdk.module.path", "");
        Process p = new ProcessBuilder("sh", "-c", "umask 000; exec \"$0\" -XX:TieredStopAtLevel=1 -cp \"$1\" \"$3\" \"$2\"",
                javaBin, cp, tmp.toString(), UmaskChild.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // the umask really was 000 in the child: a plain file it made is 0666
        assertThat(mode(tmp.resolve("plain"))).isEqualTo("rw-rw-rw-");
        for (Path dir : List.of(tmp.resolve("keys"), tmp.resolve("keys/nested"), tmp.resolve("anchor"),
                tmp.resolve("logs"))) {
            assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx------");
        }
        assertThat(mode(tmp.resolve("keys/nested/auditlog.key"))).isEqualTo("rw-------");
        try (Stream<Path> files = Stream.concat(Files.walk(tmp.resolve("anchor")), Files.walk(tmp.resolve("logs")))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(mode(f)).as(f.toString()).isIn("rw-------", "r--------");
            }
        }
        try (Stream<Path> dirs = Files.walk(tmp.resolve("logs"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                assertThat(mode(d)).as(d.toString()).isEqualTo("rwx------");
            }
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Runs under umask 000: keygen, a file log with checkpoints anchored to a directory. */
    static final class UmaskChild {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Files.writeString(dir.resolve("plain"), "x");
            Path keys = dir.resolve("keys").resolve("nested");
            int exit = Main.run(new String[] {"keygen", "--out", keys.toString()},
                    new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true));
            if (exit != 0) {
                System.exit(10 + exit);
            }
            try (AuditLog log = AuditLog.builder().singleChain().logId("perm").shutdownHook(false)
                    .sink("file:" + dir.resolve("logs"))
                    .checkpoints(Ed25519Keys.readSigningKey(keys.resolve("auditlog.key")))
                    .checkpointEvery(1, Duration.ofMinutes(1))
                    .anchor(CheckpointAnchor.directory(dir.resolve("anchor"))).build()) {
                log.record(dev.auditlog.AuditEvent.builder().action("doc.read").actor(dev.auditlog.Actor.user("u"))
                        .outcome(dev.auditlog.Outcome.success()).build());
            }
            System.exit(0);
        }
    }
}
