package dev.auditlog.jdbc;

import dev.auditlog.Actor;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditPage;
import dev.auditlog.AuditQuery;
import dev.auditlog.Category;
import dev.auditlog.MemorySink;
import dev.auditlog.Outcome;
import dev.auditlog.OutcomeStatus;
import dev.auditlog.Target;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.SealedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Append-only triggers, many nodes, and the audited query API; run once per dialect by the subclasses. */
abstract class AbstractJdbcSinkTest {
    static final Instant BASE = Instant.parse("2026-03-01T10:00:00.123456Z");
    static final List<String> ACTIONS = List.of("document.read", "document.update", "authn_login_fail",
            "authnxlogin", "authn_password_change");

    protected final String prefix = TestDatabase.uniquePrefix();
    private TestDatabase db;

    /** The database under test; skips or fails (CI=true) when a server is unreachable. */
    protected abstract TestDatabase database();

    protected TestDatabase db() {
        return db == null ? db = database() : db;
    }

    @AfterEach
    void dropTables() throws Exception {
        if (db != null) {
            db.drop(prefix);
        }
    }

    static AuditEvent event(int i) {
        AuditEvent.Builder b = AuditEvent.builder()
                .action(ACTIONS.get(i % ACTIONS.size()))
                .category(i % 2 == 0 ? Category.DATA_ACCESS : Category.AUTHENTICATION)
                .actor(Actor.user("user-" + (i % 4)))
                .outcome(switch (i % 3) {
                    case 0 -> Outcome.success();
                    case 1 -> Outcome.failure("bad");
                    default -> Outcome.denied("policy");
                })
                .occurredAt(BASE.plus(Duration.ofMinutes(i)))
                .tenantId("tenant-" + (i % 2))
                .traceId("trace-" + i)
                .attribute("i", i);
        if (i % 5 != 4) {
            b.target(i % 2 == 0 ? Target.of("document", "doc-" + (i % 3)) : Target.of("account", "acct-" + (i % 3)));
            b.target(Target.of("folder", "f-" + i));
        }
        return b.build();
    }

    private AuditLog.Builder log(String logId, MemorySink reference) {
        return AuditLog.builder().singleChain().logId(logId).sink(db().sink(prefix).build()).sink(reference).shutdownHook(false);
    }

    /** Writes events 0..n-1 to a log; returns the records as the reference sink stored them. */
    protected List<SealedRecord> populate(String logId, int n) {
        MemorySink reference = new MemorySink();
        try (AuditLog log = log(logId, reference).build()) {
            for (int i = 0; i < n; i++) {
                log.record(event(i));
            }
        }
        return reference.records(logId);
    }

    // ---------------------------------------------------------------- append-only

    @Test
    void updateAndDeleteAreRejectedByTheDatabase() throws Exception {
        populate("ro", 5);
        try (Connection c = db().connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + prefix + "checkpoints (log_id, size, note, created) VALUES "
                        + "('ro', 3, 'note', CURRENT_TIMESTAMP)");
            }
            for (String table : List.of(prefix + "records", prefix + "checkpoints")) {
                String column = table.endsWith("records") ? "line" : "note";
                assertRejected(c, "UPDATE " + table + " SET " + column + " = 'x' WHERE log_id = 'ro'");
                assertRejected(c, "DELETE FROM " + table + " WHERE log_id = 'ro'");
                assertRejected(c, "DELETE FROM " + table);
            }
        }
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            VerificationReport report = Verify.chain(reader, "ro");
            assertThat(report.isValid()).isTrue();
            assertThat(report.records()).isEqualTo(7);
        }
    }

    protected static void assertRejected(Connection c, String sql) {
        assertThatThrownBy(() -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    }

    // ---------------------------------------------------------------- retention

    private static final dev.auditlog.integrity.SigningKey KEY =
            dev.auditlog.integrity.Ed25519Keys.generate("auditlog/prune", new java.security.SecureRandom());

    private AuditLog.Builder signed(dev.auditlog.integrity.SigningKey key, java.nio.file.Path anchor) {
        return AuditLog.builder().singleChain().logId("pr").sink(db().sink(prefix).build()).shutdownHook(false).checkpoints(key)
                .checkpointEvery(10, Duration.ofHours(1)).anchor(dev.auditlog.spi.CheckpointAnchor.directory(anchor));
    }

    private long rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "records WHERE log_id = 'pr'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private VerificationReport verifyPr(java.nio.file.Path anchor) throws Exception {
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            return dev.auditlog.integrity.LogVerifier.builder(KEY.verifierKey())
                    .anchor(dev.auditlog.spi.CheckpointAnchor.directory(anchor)).build().verify(reader, "pr");
        }
    }

    @Test
    void pruneDeletesRowsOnlyUnderASignedRetentionStatement(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path anchor = tmp.resolve("anchor");
        try (AuditLog log = signed(KEY, anchor).build()) {
            for (int i = 0; i < 40; i++) {
                log.record(event(i));
            }
        }
        try (Connection c = db().connect()) {
            long stored = rows(c);
            dev.auditlog.integrity.SigningKey wrong =
                    dev.auditlog.integrity.Ed25519Keys.generate("auditlog/prune", new java.security.SecureRandom());
            assertThatThrownBy(() -> signed(wrong, anchor).build()).isInstanceOf(dev.auditlog.AuditException.class)
                    .hasMessageContaining(KEY.verifierKey().keyIdHex()).hasMessageContaining(wrong.verifierKey()
                            .keyIdHex());
            assertThat(rows(c)).as("a wrong key deletes nothing").isEqualTo(stored);
            assertRejected(c, "DELETE FROM " + prefix + "records WHERE log_id = 'pr' AND seq < 5");

            dev.auditlog.PruneResult result;
            try (AuditLog log = signed(KEY, anchor).build()) {
                assertThatThrownBy(() -> log.prune(10_000)).hasMessageContaining("past the last checkpoint");
                result = log.prune(20);
            }
            assertThat(result.firstKept()).isEqualTo(20);
            assertThat(result.pruned()).hasSize(1);
            try (Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT MIN(seq) FROM " + prefix + "records WHERE log_id = 'pr'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(20);
            }
            VerificationReport report = verifyPr(anchor);
            assertThat(report.findings()).isEmpty();
            assertThat(report.nextSequence() - report.records()).isEqualTo(20);

            // The triggers still refuse what no retention row covers, and the retention rows themselves stay.
            assertRejected(c, "DELETE FROM " + prefix + "records WHERE log_id = 'pr' AND seq < 25");
            assertRejected(c, "DELETE FROM " + prefix + "retention");
            assertRejected(c, "UPDATE " + prefix + "retention SET first_seq = 30");

            // Whoever can insert rows but has no key can delete, and the log then fails verification.
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + prefix + "retention (log_id, first_seq, statement_seq) VALUES ('pr', 30, "
                        + result.statementSequence() + ")");
                s.execute("DELETE FROM " + prefix + "records WHERE log_id = 'pr' AND seq < 30");
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            assertThat(verifyPr(anchor).isValid()).isFalse();
        }
    }

    // ---------------------------------------------------------------- many nodes

    @Test
    void manyNodesShareTheTablesAndEachChainVerifies() throws Exception {
        int nodes = 4;
        int producers = 3;
        int perProducer = 150;
        List<AuditLog> logs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(nodes * producers);
        try {
            for (int n = 0; n < nodes; n++) {
                logs.add(AuditLog.builder().singleChain().logId("node-" + n).sink(db().sink(prefix).build()).shutdownHook(false)
                        .maxBatchSize(64).build());
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (AuditLog log : logs) {
                for (int p = 0; p < producers; p++) {
                    int base = p * perProducer;
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perProducer; i++) {
                            log.record(event(base + i));
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            logs.forEach(AuditLog::close);
            pool.shutdownNow();
        }
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            assertThat(reader.chainIds()).containsExactly("node-0", "node-1", "node-2", "node-3");
            for (int n = 0; n < nodes; n++) {
                VerificationReport report = Verify.chain(reader, "node-" + n);
                assertThat(report.findings()).as("node-%d", n).isEmpty();
                assertThat(report.records()).isEqualTo(producers * perProducer + 2);
            }
        }
    }

    // ---------------------------------------------------------------- queries

    private static AuditQuery.Builder q(String logId) {
        return AuditQuery.builder().logId(logId);
    }

    /** Pages through a query; checks the pages against the reference records and the predicate. */
    private static List<Long> pageAll(JdbcAuditReader reader, AuditQuery first) {
        List<Long> seqs = new ArrayList<>();
        AuditQuery query = first;
        while (true) {
            AuditPage page = reader.query(query, "investigator");
            assertThat(page.records().size()).isLessThanOrEqualTo(query.pageSize());
            page.records().forEach(r -> seqs.add(r.sequence()));
            if (page.nextPageToken().isEmpty()) {
                return seqs;
            }
            query = first.toBuilder().pageToken(page.nextPageToken().get()).build();
        }
    }

    private static List<Long> expected(List<SealedRecord> all, Predicate<AuditEvent> filter) {
        return all.stream().filter(r -> r.event().filter(filter).isPresent()).map(SealedRecord::sequence).toList();
    }

    private static Predicate<AuditEvent> firstTarget(Predicate<Target> p) {
        return e -> !e.targets().isEmpty() && p.test(e.targets().get(0));
    }

    @Test
    void everyFilterSelectsExactlyTheMatchingEventsAndEveryQueryIsAudited() throws Exception {
        List<SealedRecord> all = populate("q", 90);
        MemorySink reads = new MemorySink();
        int queries = 0;
        try (AuditLog audit = AuditLog.builder().singleChain().logId("reads").sink(reads).shutdownHook(false).build();
             JdbcAuditReader reader = db().reader(prefix).auditTo(audit).build()) {
            Map<AuditQuery, Predicate<AuditEvent>> cases = new java.util.LinkedHashMap<>();
            cases.put(q("q").pageSize(1000).build(), e -> true);
            cases.put(q("q").actorId("user-2").build(), e -> e.actor().id().equals("user-2"));
            cases.put(q("q").action("document.read").build(), e -> e.action().equals("document.read"));
            cases.put(q("q").actionPrefix("authn_").build(), e -> e.action().startsWith("authn_"));
            cases.put(q("q").actionPrefix("document.").pageSize(4).build(), e -> e.action().startsWith("document."));
            cases.put(q("q").target("document", "doc-1").build(),
                    firstTarget(t -> t.type().equals("document") && t.id().equals("doc-1")));
            cases.put(q("q").targetType("account").build(), firstTarget(t -> t.type().equals("account")));
            cases.put(q("q").target("folder", "f-3").build(), firstTarget(t -> t.type().equals("folder")));
            cases.put(q("q").outcome(OutcomeStatus.DENIED).build(),
                    e -> e.outcome().status() == OutcomeStatus.DENIED);
            cases.put(q("q").category(Category.AUTHENTICATION).build(), e -> e.category() == Category.AUTHENTICATION);
            cases.put(q("q").tenantId("tenant-1").build(), e -> e.tenantId().equals(java.util.Optional.of("tenant-1")));
            Instant from = BASE.plus(Duration.ofMinutes(10));
            Instant to = BASE.plus(Duration.ofMinutes(40));
            Predicate<AuditEvent> inRange = e -> !e.occurredAt().orElseThrow().isBefore(from)
                    && e.occurredAt().orElseThrow().isBefore(to);
            cases.put(q("q").from(from).to(to).pageSize(7).build(), inRange);
            cases.put(q("q").actorId("user-1").outcome(OutcomeStatus.FAILURE).from(from).build(),
                    e -> e.actor().id().equals("user-1") && e.outcome().status() == OutcomeStatus.FAILURE
                            && !e.occurredAt().orElseThrow().isBefore(from));
            cases.put(q("q").target("document", "doc-0").from(from).to(to).build(),
                    inRange.and(firstTarget(t -> t.type().equals("document") && t.id().equals("doc-0"))));
            cases.put(q("q").actorId("nobody").build(), e -> false);
            audit.flush(); // audit.log.started is stored: from here on, the reads log grows by the queries only
            for (Map.Entry<AuditQuery, Predicate<AuditEvent>> c : cases.entrySet()) {
                int before = reads.records("reads").size();
                List<Long> got = pageAll(reader, c.getKey());
                assertThat(got).as(c.getKey().toString()).isEqualTo(expected(all, c.getValue()));
                audit.flush();
                queries += reads.records("reads").size() - before;
            }
            assertThat(expected(all, e -> e.action().startsWith("authn_"))).isNotEmpty();
            assertThat(queries).isGreaterThan(cases.size());
        }
        // Every page was audited: audit.log.read by the investigator, with the filter and the row count.
        List<AuditEvent> readEvents = reads.records("reads").stream().flatMap(r -> r.event().stream())
                .filter(e -> e.action().equals(JdbcAuditReader.READ_ACTION)).toList();
        assertThat(readEvents).hasSize(queries);
        AuditEvent first = readEvents.get(0);
        assertThat(first.category()).isEqualTo(Category.AUDIT_LOG_ACCESS);
        assertThat(first.actor()).isEqualTo(Actor.user("investigator"));
        assertThat(first.targets()).containsExactly(Target.of("audit_log", "q"));
        assertThat(first.attributes().get("rows")).isEqualTo((long) all.size());
        assertThat(readEvents.get(1).attributes().get("query")).isEqualTo(Map.of("log_id", "q",
                "actor_id", "user-2", "page_size", 100L, "continued", false));
    }

    @Test
    void paginationHasNoDuplicatesOrGapsWhileRecordsAreInserted() throws Exception {
        MemorySink reference = new MemorySink();
        MemorySink reads = new MemorySink();
        try (AuditLog live = log("live", reference).maxBatchSize(8).build();
             AuditLog audit = AuditLog.builder().singleChain().logId("reads").sink(reads).shutdownHook(false).build();
             JdbcAuditReader reader = db().reader(prefix).auditTo(audit).build()) {
            for (int i = 0; i < 60; i++) {
                live.record(event(i));
            }
            live.flush();
            ExecutorService writer = Executors.newSingleThreadExecutor();
            CountDownLatch paging = new CountDownLatch(1);
            Future<?> inserts = writer.submit(() -> { // free-running inserts while paging
                paging.await();
                for (int i = 1000; i < 1100; i++) {
                    live.record(event(i));
                    if (i % 10 == 0) {
                        live.flush();
                    }
                }
                live.flush();
                return null;
            });
            AuditQuery first = q("live").actorId("user-1").pageSize(3).build();
            List<Long> seqs = new ArrayList<>();
            AuditQuery query = first;
            int pages = 0;
            int next = 60;
            while (true) {
                AuditPage page = reader.query(query, "pager");
                pages++;
                paging.countDown();
                if (pages <= 20) { // and some inserted between every two pages, so paging surely overlaps them
                    for (int k = 0; k < 6; k++) {
                        live.record(event(next++));
                    }
                    live.flush();
                }
                page.records().forEach(r -> seqs.add(r.sequence()));
                if (page.nextPageToken().isEmpty()) {
                    break;
                }
                query = first.toBuilder().pageToken(page.nextPageToken().get()).build();
            }
            paging.countDown();
            inserts.get(1, TimeUnit.MINUTES);
            writer.shutdown();
            assertThat(seqs).doesNotHaveDuplicates().isSorted();
            long last = seqs.get(seqs.size() - 1);
            List<Long> matching = expected(reference.records("live"), e -> e.actor().id().equals("user-1"));
            assertThat(seqs).isEqualTo(matching.stream().filter(s -> s <= last).toList());
            assertThat(pages).isGreaterThan(10);
        }
    }

    @Test
    void aTokenIsBoundToItsFiltersAndQueriesRequireAnAuditLog() throws Exception {
        populate("t", 20);
        try (AuditLog audit = AuditLog.builder().singleChain().logId("reads").sink(new MemorySink()).shutdownHook(false).build();
             JdbcAuditReader reader = db().reader(prefix).auditTo(audit).build()) {
            AuditPage page = reader.query(q("t").actorId("user-1").pageSize(2).build(), "alice");
            String token = page.nextPageToken().orElseThrow();
            assertThatThrownBy(() -> q("t").actorId("user-2").pageSize(2).pageToken(token).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other filters");
            AuditPage next = reader.query(q("t").actorId("user-1").pageSize(5).pageToken(token).build(), "alice");
            assertThat(next.records()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.sequence()).isGreaterThan(page.records().get(1).sequence()));
        }
        try (JdbcAuditReader unaudited = db().reader(prefix).build()) {
            assertThatThrownBy(() -> unaudited.query(q("t").build(), "alice"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queries must be audited: configure auditTo(log)");
        }
    }

    @Test
    void readStreamsInOrderFromASequence() throws Exception {
        List<SealedRecord> all = populate("s", 30);
        try (JdbcAuditReader reader = db().reader(prefix).fetchSize(4).build();
             Stream<SealedRecord> s = reader.read("s", 10)) {
            assertThat(s.toList()).isEqualTo(all.subList(10, all.size()));
        }
    }

    /** Runs SQL as the owner/superuser. */
    protected void sql(Consumer<Connection> body) throws SQLException {
        try (Connection c = db().connect()) {
            body.accept(c);
        }
    }

    protected static void exec(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- values every store holds (docs/FORMAT.md §4.1)

    @Test
    void poisonValuesAreRefusedAtBuildTimeAndBoundaryValuesAreStoredAndFlow() throws Exception {
        // what stalled a store before: NUL in ids, instants outside what a timestamp column holds
        List<Runnable> poison = List.of(
                () -> Actor.user("bad\u0000id"),
                () -> AuditEvent.builder().tenantId("t\u0000"),
                () -> AuditEvent.builder().occurredAt(Instant.MIN),
                () -> AuditEvent.builder().occurredAt(Instant.MAX),
                () -> AuditEvent.builder().occurredAt(Instant.parse("+294277-01-01T00:00:00Z")),
                () -> AuditEvent.builder().occurredAt(Instant.parse("0500-06-01T00:00:00Z")),
                () -> AuditEvent.builder().occurredAt(Instant.parse("+10000-01-01T00:00:00Z")));
        for (Runnable r : poison) {
            assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class);
        }
        List<Instant> times = List.of(Instant.parse("1000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), BASE);
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(AuditEvent.builder().action("doc.read").actor(Actor.user("u\u0001\u007f\u2028😀" + i))
                    .tenantId("t\u001f" + i).target(Target.of("doc", "d\"\\" + i))
                    .occurredAt(times.get(i % times.size())).outcome(Outcome.success()).build());
        }
        MemorySink reference = new MemorySink();
        try (AuditLog log = log("edge", reference).build()) {
            List<dev.auditlog.AuditReceipt> receipts = new ArrayList<>();
            for (AuditEvent e : events) {
                receipts.add(log.record(e));
            }
            for (dev.auditlog.AuditReceipt r : receipts) {
                r.durable().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            VerificationReport report = Verify.chain(reader, "edge");
            assertThat(report.findings()).isEmpty();
            assertThat(report.records()).isEqualTo(22);
            List<AuditEvent> back = new ArrayList<>();
            try (Stream<SealedRecord> s = reader.read("edge", 0)) {
                s.forEach(r -> r.event().filter(e -> e.action().equals("doc.read")).ifPresent(back::add));
            }
            assertThat(back).isEqualTo(events);
        }
        try (Connection c = db().connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + prefix
                + "records WHERE log_id = 'edge' AND occurred_at < ?")) {
            Rows.setTime(ps, 1, Instant.parse("1000-01-02T00:00:00Z"), db().dialect());
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("year-1000 rows keep their time (not 0000-00-00)").isEqualTo(7);
            }
        }
    }

    @Test
    void aRecordAtTheRaisedLimitIsStoredReadBackAndVerified() throws Exception {
        dev.auditlog.AuditLimits limits = dev.auditlog.AuditLimits.builder().maxAttributeStringLength(4_000_000)
                .maxRecordBytes(dev.auditlog.AuditLimits.MAX_RECORD_BYTES).build();
        // quotes: 2 bytes each in the line, and escaped again by a driver's text protocol
        // over the old 1 MiB string limit of the readers: 1.1 M quotes make a 2.2 MB line
        AuditEvent big = AuditEvent.builder(limits).action("doc.read").actor(Actor.user("u")).occurredAt(BASE)
                .outcome(Outcome.success()).attribute("blob", "\"".repeat(1_100_000)).build();
        assertThatThrownBy(() -> big.toBuilder().attribute("blob", "\"".repeat(2_100_000)).build())
                .hasMessageContaining("maxRecordBytes").hasMessageContaining("attributes.blob");
        try (AuditLog log = log("big", new MemorySink()).build()) {
            log.record(big).durable().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            assertThat(Verify.chain(reader, "big").findings()).isEmpty();
            try (Stream<SealedRecord> s = reader.read("big", 1)) {
                assertThat(s.findFirst().orElseThrow().event().orElseThrow().equals(big)).isTrue();
            }
        }
    }

    @Test
    void aRecordTheDatabaseRefusesIsReportedAndStoredUnindexedWithoutAGap() throws Exception {
        populate("refuse", 0); // the tables, and two records
        try (Connection c = db().connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + prefix + "records ADD CONSTRAINT " + prefix + "no_poison CHECK (actor_id IS NULL"
                    + " OR actor_id <> 'poison')");
        }
        JdbcAuditSink sink = db().sink(prefix).build();
        MemorySink other = new MemorySink();
        AuditEvent poison = AuditEvent.builder().action("doc.read").actor(Actor.user("poison"))
                .outcome(Outcome.success()).occurredAt(BASE).build();
        try (AuditLog log = AuditLog.builder().singleChain().logId("refuse").sink(sink).sink(other).shutdownHook(false)
                .retry(2, Duration.ofMillis(1), Duration.ofMillis(5)).build()) {
            log.record(event(1));
            dev.auditlog.AuditReceipt bad = log.record(poison);
            log.record(event(2));
            assertThatThrownBy(() -> bad.durable().toCompletableFuture().get(60, TimeUnit.SECONDS))
                    .hasStackTraceContaining("refuses record " + bad.sequence());
            dev.auditlog.SinkHealth h = log.sinkHealth().get(0);
            assertThat(h.status()).isEqualTo(dev.auditlog.SinkHealth.Status.STUCK);
            assertThat(h.stuckSequence()).hasValue(bad.sequence());
            log.storeUnindexed(sink.name(), bad.sequence());
            log.record(event(3)).durable().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        try (JdbcAuditReader reader = db().reader(prefix).build()) {
            VerificationReport report = Verify.chain(reader, "refuse");
            assertThat(report.findings()).isEmpty();
            List<String> actions = new ArrayList<>();
            try (Stream<SealedRecord> s = reader.read("refuse", 0)) {
                s.forEach(r -> r.event().ifPresent(e -> actions.add(e.action())));
            }
            assertThat(actions).contains("audit.sink.stuck", "audit.sink.unindexed");
            List<SealedRecord> seen = other.records("refuse");
            assertThat(report.records()).isEqualTo(seen.get(seen.size() - 1).sequence() + 1); // no gap
        }
        try (Connection c = db().connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + prefix
                + "records WHERE log_id = 'refuse' AND record_type = 'event' AND event_id IS NULL")) {
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("the refused record, stored without query columns").isEqualTo(1);
            }
        }
    }
}
