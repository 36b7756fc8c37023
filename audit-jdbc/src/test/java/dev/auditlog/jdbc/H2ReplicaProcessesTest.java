package dev.auditlog.jdbc;

import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Replicas as separate JVMs on H2 (row locks held by open transactions), served over TCP by this JVM so that the
 * replicas can share it.
 */
class H2ReplicaProcessesTest extends AbstractReplicaProcessesTest {
    @TempDir
    static Path base;
    private static Server server;

    @BeforeAll
    static void startServer() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists", "-baseDir",
                base.toString()).start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Override
    protected TestDatabase database() {
        return new TestDatabase(Dialect.H2, "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/replicas");
    }
}
