package dev.auditlog.jdbc;

import dev.auditlog.AuditLog;
import dev.auditlog.FailoverSink;
import dev.auditlog.MemorySink;
import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.Outcome;
import dev.auditlog.integrity.ChainVerifier;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database outage in the middle of a stream: a proxy between the driver and the server is cut for several seconds
 * while producers keep recording, then restored. Nothing may be lost or duplicated, and the chain must verify.
 */
class FailoverOutageTest {
    @Test
    void postgresOutage() throws Exception {
        TestDatabase db = TestDatabase.postgres();
        outage(db, "127.0.0.1", 5432, port -> "jdbc:postgresql://127.0.0.1:" + port
                + "/test?user=postgres&reWriteBatchedInserts=true&connectTimeout=2&socketTimeout=5");
    }

    @Test
    void mariadbOutage() throws Exception {
        TestDatabase db = TestDatabase.mariadb();
        outage(db, "127.0.0.1", 3306, port -> "jdbc:mariadb://127.0.0.1:" + port
                + "/test?user=root&useBulkStmts=true&connectTimeout=2000&socketTimeout=5000");
    }

    interface Url {
        String at(int port);
    }

    private void outage(TestDatabase db, String host, int port, Url url) throws Exception {
        String prefix = TestDatabase.uniquePrefix();
        try (CuttableProxy proxy = new CuttableProxy(host, port)) {
            // The journal is a MemorySink: a sink module's tests never use another sink module (the file sink's
            // own tests cover it as a journal).
            MemorySink journal = new MemorySink();
            FailoverSink failover = FailoverSink.builder(
                            JdbcAuditSink.builder(url.at(proxy.port())).tablePrefix(prefix).build(), journal)
                    .probeInterval(Duration.ofMillis(200)).build();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acked = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            long recorded;
            AuditLog log = AuditLog.builder().singleChain().logId("outage").sink(failover).shutdownHook(false)
                    .retry(5, Duration.ofMillis(10), Duration.ofMillis(200)).build();
            try {
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    Thread p = new Thread(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            log.record(AuditEvent.builder().action("document.read").actor(Actor.user("u" + thread))
                                    .outcome(Outcome.success()).attribute("i", i).build())
                                    .durable().thenRun(acked::incrementAndGet);
                            java.util.concurrent.locks.LockSupport.parkNanos(500_000); // ~2 000 records/s each
                        }
                    });
                    p.start();
                    producers.add(p);
                }
                await(() -> log.metrics().written() >= 1_000, "1 000 records written before the outage");
                proxy.cut();
                long cutAt = System.nanoTime();
                await(() -> failover.metrics().spooled() >= 1_000
                        && System.nanoTime() - cutAt >= Duration.ofSeconds(3).toNanos(), "3 s of outage");
                proxy.restore();
                await(() -> failover.metrics().drains() >= 1, "the spool drained into the database");
                long drainedAt = log.metrics().recorded();
                await(() -> log.metrics().recorded() >= drainedAt + 1_000, "1 000 more records after the outage");
                stop.set(true);
                for (Thread p : producers) {
                    p.join();
                }
                log.flush();
            } finally {
                log.close();
            }
            assertThat(log.metrics().failed()).isZero();
            recorded = log.metrics().recorded();
            assertThat(journal.records("outage")).hasSize((int) recorded);
            FailoverSink.Metrics m = failover.metrics();
            List<SealedRecord> rows = new ArrayList<>();
            try (JdbcAuditReader reader = db.reader(prefix).build();
                 Stream<SealedRecord> s = reader.read("outage", 0)) {
                for (Iterator<SealedRecord> it = s.iterator(); it.hasNext(); ) {
                    rows.add(it.next());
                }
            }
            long rowCount;
            long distinct;
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT seq) FROM " + prefix
                         + "records WHERE log_id = 'outage'")) {
                rs.next();
                rowCount = rs.getLong(1);
                distinct = rs.getLong(2);
            }
            ChainVerifier v = ChainVerifier.fromGenesis("outage");
            for (int i = 0; i < rows.size(); i++) {
                assertThat(rows.get(i).sequence()).isEqualTo(i);
                v.accept(rows.get(i));
            }
            assertThat(v.finish().findings()).isEmpty();
            assertThat(rows).hasSize((int) recorded); // every record, including audit.log.stopped and the notices
            assertThat(rowCount).isEqualTo(distinct).isEqualTo(recorded);
            assertThat(m.spooled()).isGreaterThan(0);
            assertThat(m.drained()).isGreaterThanOrEqualTo(m.spooled());
            assertThat(m.unsent()).isZero();
            System.out.printf("%s outage: records written %d, spooled during the outage %d, drained %d, drains %d,"
                            + " primary failures %d, duplicates %d, acked receipts %d%n", db.dialect(), rowCount,
                    m.spooled(), m.drained(), m.drains(), m.primaryFailures(), rowCount - distinct, acked.get());
        } finally {
            db.drop(prefix);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
