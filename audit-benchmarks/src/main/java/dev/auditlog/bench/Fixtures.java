package dev.auditlog.bench;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.MemorySink;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.ChainHead;
import dev.auditlog.spi.SealedRecord;
import org.apache.logging.log4j.message.StringMapMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The event every benchmark records, its equivalents for the logging baselines, and small helpers. */
public final class Fixtures {
    public static final String ACTOR = "alice";
    public static final String TARGET_TYPE = "account";
    public static final String TARGET_ID = "alice";
    public static final String REASON = "bad_password";
    public static final String IP = "203.0.113.7";
    public static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0";
    public static final String REQUEST_ID = "req-7f3a9c2e";
    public static final long ATTEMPT = 3;

    private Fixtures() {
    }

    /** A typical authentication failure: actor, target, outcome with reason, origin, request id, one attribute. */
    public static AuditEvent event() {
        return AuditEvent.builder()
                .action(AuditActions.AUTHN_LOGIN_FAIL)
                .category(Category.AUTHENTICATION)
                .actor(Actor.user(ACTOR))
                .target(Target.of(TARGET_TYPE, TARGET_ID))
                .outcome(Outcome.failure(REASON))
                .origin(Origin.builder().ip(IP).userAgent(USER_AGENT).channel(Channel.UI).build())
                .requestId(REQUEST_ID)
                .attribute("attempt", ATTEMPT)
                .build();
    }

    public static final String TENANT = "acme";
    public static final String REGION = "eu-west-1";

    /**
     * The event the fresh-event benchmarks build inside every measured call: actor, action, target, outcome, IP,
     * user agent and three attributes. The builder gives each a new event id (UUIDv7) and validates it, which is part
     * of what a caller pays.
     */
    public static AuditEvent freshEvent() {
        return AuditEvent.builder()
                .action(AuditActions.AUTHN_LOGIN_FAIL)
                .actor(Actor.user(ACTOR))
                .target(Target.of(TARGET_TYPE, TARGET_ID))
                .outcome(Outcome.failure(REASON))
                .origin(Origin.builder().ip(IP).userAgent(USER_AGENT).build())
                .attribute("attempt", ATTEMPT)
                .attribute("tenant", TENANT)
                .attribute("region", REGION)
                .build();
    }

    /**
     * What a team using Log4j2 would log instead of {@link #freshEvent()}, built inside every measured call: a
     * {@link StringMapMessage} with the same ten fields (an id, action, actor, target, outcome, IP, user agent and the
     * three attributes). The id is a fresh UUID from {@link java.util.concurrent.ThreadLocalRandom}, as cheap as the
     * event's UUIDv7 (not {@code UUID.randomUUID()}, whose SecureRandom would handicap the baseline).
     */
    public static StringMapMessage freshMessage() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return new StringMapMessage(10)
                .with("id", new java.util.UUID(r.nextLong(), r.nextLong()).toString())
                .with("action", AuditActions.AUTHN_LOGIN_FAIL)
                .with("actor", ACTOR)
                .with("target", TARGET_TYPE + ":" + TARGET_ID)
                .with("outcome", "FAILURE:" + REASON)
                .with("ip", IP)
                .with("userAgent", USER_AGENT)
                .with("attempt", ATTEMPT)
                .with("tenant", TENANT)
                .with("region", REGION);
    }

    /**
     * The same fields as {@link #event()} as a Log4j2 structured message (the JSON template layout renders it as a
     * JSON object). The event id is a fixed string, as the pre-built {@link AuditEvent} carries a fixed id too.
     */
    public static StringMapMessage log4jMessage(AuditEvent e) {
        StringMapMessage m = new StringMapMessage(16);
        m.with("id", e.eventId().toString());
        m.with("action", e.action());
        m.with("category", e.category().name());
        m.with("severity", e.severity().name());
        m.with("actor.id", ACTOR);
        m.with("actor.type", "USER");
        m.with("target.type", TARGET_TYPE);
        m.with("target.id", TARGET_ID);
        m.with("outcome.status", "FAILURE");
        m.with("outcome.reasonCode", REASON);
        m.with("origin.ip", IP);
        m.with("origin.userAgent", USER_AGENT);
        m.with("origin.channel", "UI");
        m.with("requestId", REQUEST_ID);
        m.with("attributes.attempt", Long.toString(ATTEMPT));
        return m;
    }

    /** A sink that accepts and drops every batch, counting records: the pipeline's own cost, no storage. */
    public static final class NoopSink implements AuditSink {
        public final AtomicLong records = new AtomicLong();

        @Override
        public String name() {
            return "noop:";
        }

        @Override
        public Optional<ChainHead> open(String logId) {
            return Optional.empty();
        }

        @Override
        public void write(List<SealedRecord> batch) {
            records.addAndGet(batch.size());
        }

        @Override
        public void close() {
        }
    }

    /** The canonical payload bytes of {@link #event()} as the library seals them (for record factories). */
    public static byte[] sealedLineOfEvent() {
        MemorySink sink = new MemorySink();
        try (AuditLog log = AuditLog.builder().singleChain().logId("template").sink(sink).shutdownHook(false).build()) {
            log.record(event()).await();
        }
        return sink.records("template").stream().filter(r -> r.type().equals("event"))
                .filter(r -> r.lineText().contains("authn_login_fail")).findFirst().orElseThrow().line();
    }

    /** A fresh directory under {@code audit-benchmarks/target/bench-data} (a real disk, not tmpfs). */
    public static Path dataDir(String name) {
        Path base = Path.of(System.getProperty("bench.data", "audit-benchmarks/target/bench-data"));
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base.toAbsolutePath(), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    p.toFile().setWritable(true);
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line of {@code file}, read alone: a full run's output files are larger than the heap. */
    public static String firstLine(Path file) throws IOException {
        try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
            String line = r.readLine();
            return line == null ? "" : line;
        }
    }

    /** Lines in all regular files under {@code dir} (recursively) whose name ends with {@code suffix}. */
    public static long countLines(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            long n = 0;
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))::iterator) {
                // Streamed: a full run's output files grow past what one array can hold.
                try (java.io.InputStream in = Files.newInputStream(p)) {
                    byte[] b = new byte[1 << 16];
                    int r;
                    while ((r = in.read(b)) > 0) {
                        for (int i = 0; i < r; i++) {
                            if (b[i] == '\n') {
                                n++;
                            }
                        }
                    }
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the benchmark (the harness reports it; CI runs with -foe) when a sanity check does not hold. */
    public static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("sanity check failed: " + what);
        }
        System.out.println("sanity: " + what);
    }
}
