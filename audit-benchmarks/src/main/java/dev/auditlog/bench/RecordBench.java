package dev.auditlog.bench;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.AuditReceipt;
import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditSink;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.RandomAccessFileAppender;
import org.apache.logging.log4j.core.async.AsyncLogger;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.StringMapMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Benchmark 1: the cost of {@code record()} on the calling thread, ASYNC, against the logging a team would use
 * instead, all in one class so one run yields the ratios. Every call builds a fresh event on both sides
 * ({@link Fixtures#freshEvent()} against {@link Fixtures#freshMessage()}: the same ten fields), as a caller does.
 * Back-to-back calls; the queues block when full, so under sustained load throughput converges to the slower of
 * producer and consumer. {@code run.sh} runs it with 1, 2, 4 and 8 producer threads ({@code -t}). Run with
 * {@code -prof gc} for bytes per operation; {@link #buildEvent} is the allocation of the event itself, for the
 * allocation target.
 */
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBench {

    /** The JSON template for Log4j2: timestamp, level, logger, and the structured message as a JSON object. */
    static final String LOG4J_TEMPLATE = "{\"occurredAt\":{\"$resolver\":\"timestamp\",\"epoch\":{\"unit\":\"nanos\"}},"
            + "\"level\":{\"$resolver\":\"level\",\"field\":\"name\"},"
            + "\"logger\":{\"$resolver\":\"logger\",\"field\":\"name\"},"
            + "\"event\":{\"$resolver\":\"message\"}}";

    @State(Scope.Benchmark)
    public static class Ours {
        AuditLog log;
        Fixtures.NoopSink noop;
        Path dir;

        void start(boolean file) {
            AuditLog.Builder b = AuditLog.builder().singleChain().logId("bench").shutdownHook(false);
            if (file) {
                dir = Fixtures.dataDir("record-file");
                b.sink(FileAuditSink.builder(dir).durability(Durability.NONE).build());
            } else {
                noop = new Fixtures.NoopSink();
                b.sink(noop);
            }
            log = b.build();
        }

        void stop() {
            long recorded = log.metrics().recorded();
            log.close();
            if (noop != null) {
                Fixtures.check(noop.records.get() >= recorded, "auditlog no-op sink received " + noop.records.get()
                        + " of " + recorded + " records");
            } else {
                long lines = Fixtures.countLines(dir.resolve("bench"), ".jsonl");
                // one segment header line per segment, and records
                Fixtures.check(lines >= recorded, "auditlog file sink wrote " + lines + " lines for " + recorded
                        + " records");
                Fixtures.deleteTree(dir);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class OursNoop extends Ours {
        @Setup(Level.Trial)
        public void setUp() {
            start(false);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stop();
        }
    }

    @State(Scope.Benchmark)
    public static class OursFile extends Ours {
        @Setup(Level.Trial)
        public void setUp() {
            start(true);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            stop();
        }
    }

    /** Log4j2 all-async (AsyncLoggerContextSelector, Disruptor 4), JSON template layout. */
    @State(Scope.Benchmark)
    public static class Log4j {
        LoggerContext ctx;
        Logger logger;
        DiscardingAppender discard;
        Path dir;
        final LongAdder logged = new LongAdder();

        void start(boolean file) throws Exception {
            System.setProperty("log4j2.contextSelector",
                    "org.apache.logging.log4j.core.async.AsyncLoggerContextSelector");
            System.setProperty("log4j2.shutdownHookEnabled", "false");
            ctx = (LoggerContext) LogManager.getContext(false);
            Fixtures.check(ctx instanceof AsyncLoggerContext, "Log4j2 context is " + ctx.getClass().getSimpleName());
            Configuration cfg = ctx.getConfiguration();
            JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(cfg)
                    .setEventTemplate(LOG4J_TEMPLATE).build();
            Appender appender;
            if (file) {
                dir = Fixtures.dataDir("log4j2-raf");
                appender = RandomAccessFileAppender.newBuilder().setName("raf")
                        .setFileName(dir.resolve("log4j2.jsonl").toString()).setAppend(false)
                        .setImmediateFlush(false).setLayout(layout).setConfiguration(cfg).build();
            } else {
                discard = new DiscardingAppender(layout);
                appender = discard;
            }
            appender.start();
            cfg.addAppender(appender);
            LoggerConfig lc = LoggerConfig.newBuilder().withLoggerName("bench").withLevel(org.apache.logging.log4j.Level.INFO)
                    .withAdditivity(false).withConfig(cfg).build();
            lc.addAppender(appender, null, null);
            cfg.addLogger("bench", lc);
            ctx.updateLoggers();
            logger = ctx.getLogger("bench");
            Fixtures.check(logger instanceof AsyncLogger, "Log4j2 logger is " + logger.getClass().getSimpleName());
        }

        void stop() throws Exception {
            ctx.stop(); // drains the ring buffer, flushes and closes the appenders
            if (file()) {
                Path f = dir.resolve("log4j2.jsonl");
                long lines = Fixtures.countLines(dir, ".jsonl");
                String first = Fixtures.firstLine(f);
                Fixtures.check(lossReported(lines) && first.contains("\"action\":\"authn_login_fail\""),
                        "Log4j2 file has " + lines + " JSON lines of " + logged + " logged; first: " + first);
                Fixtures.deleteTree(dir);
            } else {
                Fixtures.check(lossReported(discard.events) && discard.first != null
                                && discard.first.contains("\"userAgent\""),
                        "Log4j2 no-op appender encoded " + discard.events + " of " + logged + " events, "
                                + discard.bytes + " bytes; first: " + discard.first);
            }
        }

        boolean file() {
            return dir != null;
        }

        /**
         * Whether Log4j2 delivered every logged event. With several producer threads and the ring buffer full, Log4j2
         * 2.25 (all-async, default queue-full policy) delivers fewer events than were logged, without an error: its
         * calls then cost less than delivering would. Under {@code -Dbench.reportLoss=true} (the threads part of
         * run.sh) the loss is printed as a "LOSS" line for the report to take into account instead of failing the run.
         */
        boolean lossReported(long delivered) {
            long calls = logged.sum();
            if (delivered != calls && Boolean.getBoolean("bench.reportLoss")) {
                System.out.printf(java.util.Locale.ROOT, "LOSS: Log4j2 %s delivered %d of %d logged events (%.1f%%)%n",
                        file() ? "RandomAccessFile" : "no-op appender", delivered, calls, 100.0 * delivered / calls);
                return true;
            }
            return delivered == calls;
        }
    }

    @State(Scope.Benchmark)
    public static class Log4jNoop extends Log4j {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            start(false);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            stop();
        }
    }

    @State(Scope.Benchmark)
    public static class Log4jFile extends Log4j {
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            start(true);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            stop();
        }
    }

    /** Logback: AsyncAppender (blocking, never discarding) → FileAppender with the JsonEncoder. */
    @State(Scope.Benchmark)
    public static class LogbackFile {
        ch.qos.logback.classic.LoggerContext ctx;
        org.slf4j.Logger logger;
        AsyncAppender async;
        FileAppender<ILoggingEvent> fileAppender;
        Path dir;
        final LongAdder logged = new LongAdder();

        @Setup(Level.Trial)
        public void setUp() {
            ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
            dir = Fixtures.dataDir("logback");
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(ctx);
            encoder.start();
            fileAppender = new FileAppender<>();
            fileAppender.setContext(ctx);
            fileAppender.setName("json-file");
            fileAppender.setFile(dir.resolve("logback.jsonl").toString());
            fileAppender.setAppend(false);
            fileAppender.setImmediateFlush(false);
            fileAppender.setEncoder(encoder);
            fileAppender.start();
            async = new AsyncAppender();
            async.setContext(ctx);
            async.setName("async");
            async.setQueueSize(8192);          // the same queue capacity as AuditLog's default
            async.setDiscardingThreshold(0);   // never drop INFO events (the default drops them when 80% full)
            async.setNeverBlock(false);
            async.setMaxFlushTime(0);          // stop() waits for the queue to drain
            async.addAppender(fileAppender);
            async.start();
            ch.qos.logback.classic.Logger l = ctx.getLogger("bench.logback");
            l.setAdditive(false);
            l.setLevel(ch.qos.logback.classic.Level.INFO);
            l.addAppender(async);
            logger = l;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            async.stop();
            fileAppender.stop();
            Path f = dir.resolve("logback.jsonl");
            long lines = Fixtures.countLines(dir, ".jsonl");
            String first = Fixtures.firstLine(f);
            Fixtures.check(lines == logged.sum() && first.contains("\"userAgent\""),
                    "Logback file has " + lines + " JSON lines of " + logged + " logged; first: " + first);
            Fixtures.deleteTree(dir);
        }
    }

    @Benchmark
    public AuditReceipt auditlogNoopSink(OursNoop s) {
        return s.log.record(Fixtures.freshEvent());
    }

    @Benchmark
    public AuditReceipt auditlogFileSink(OursFile s) {
        return s.log.record(Fixtures.freshEvent());
    }

    @Benchmark
    public void log4j2NoopAppender(Log4jNoop s) {
        s.logger.info(Fixtures.freshMessage());
        s.logged.increment();
    }

    @Benchmark
    public void log4j2RandomAccessFile(Log4jFile s) {
        s.logger.info(Fixtures.freshMessage());
        s.logged.increment();
    }

    @Benchmark
    public void logbackAsyncFile(LogbackFile s) {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        s.logger.atInfo().setMessage("audit")
                .addKeyValue("id", new java.util.UUID(r.nextLong(), r.nextLong()).toString())
                .addKeyValue("action", "authn_login_fail")
                .addKeyValue("actor", Fixtures.ACTOR)
                .addKeyValue("target", Fixtures.TARGET_TYPE + ":" + Fixtures.TARGET_ID)
                .addKeyValue("outcome", "FAILURE:" + Fixtures.REASON)
                .addKeyValue("ip", Fixtures.IP)
                .addKeyValue("userAgent", Fixtures.USER_AGENT)
                .addKeyValue("attempt", Fixtures.ATTEMPT)
                .addKeyValue("tenant", Fixtures.TENANT)
                .addKeyValue("region", Fixtures.REGION)
                .log();
        s.logged.increment();
    }

    /** Not a contender: the allocation of building the event itself (read gc.alloc.rate.norm with -prof gc). */
    @Benchmark
    public AuditEvent buildEvent() {
        return Fixtures.freshEvent();
    }

    /** Not a contender: building the Log4j2 message itself, for reading the allocation of the Log4j2 rows. */
    @Benchmark
    public StringMapMessage buildMessage() {
        return Fixtures.freshMessage();
    }

    /** A Log4j2 appender that encodes every event with its layout (the garbage-free path) and drops the bytes. */
    static final class DiscardingAppender extends AbstractAppender {
        private final Sink sink = new Sink();
        volatile long events;
        volatile long bytes;
        volatile String first;

        DiscardingAppender(JsonTemplateLayout layout) {
            super("discard", null, layout, false, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            getLayout().encode(event, sink);
            sink.drain(sink.buffer);
            events++;
        }

        private final class Sink implements ByteBufferDestination {
            final ByteBuffer buffer = ByteBuffer.allocate(8192);

            @Override
            public ByteBuffer getByteBuffer() {
                return buffer;
            }

            @Override
            public ByteBuffer drain(ByteBuffer buf) {
                buf.flip();
                if (first == null && buf.hasRemaining()) {
                    first = StandardCharsets.UTF_8.decode(buf.duplicate()).toString();
                }
                bytes += buf.remaining();
                buf.clear();
                return buf;
            }

            @Override
            public void writeBytes(ByteBuffer data) {
                if (first == null) {
                    first = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
                }
                bytes += data.remaining();
                data.position(data.limit());
            }

            @Override
            public void writeBytes(byte[] data, int offset, int length) {
                if (first == null) {
                    first = new String(data, offset, length, StandardCharsets.UTF_8);
                }
                bytes += length;
            }
        }
    }
}
