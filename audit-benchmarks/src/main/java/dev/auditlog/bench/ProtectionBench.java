package dev.auditlog.bench;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Origin;
import dev.auditlog.Outcome;
import dev.auditlog.Target;
import dev.auditlog.protect.Protection;
import dev.auditlog.protect.Rules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 7: the cost per record of the built-in detection rules, on vs off. Rules run on their own thread, so a
 * plain record() loop would not see them; each operation records a batch and then flushes, which waits for the rules
 * to evaluate the batch (and for the alert records they add) — the end-to-end cost per record. The events are a
 * mix (reads by many users, 1 in 50 a failed login) so that rules are evaluated on every record but rarely fire.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ProtectionBench {
    static final int BATCH = 1000;

    @Param({"off", "on"})
    public String rules;

    AuditLog log;
    Fixtures.NoopSink sink;
    AuditEvent[] events;

    @Setup(Level.Trial)
    public void setUp() {
        sink = new Fixtures.NoopSink();
        AuditLog.Builder b = AuditLog.builder().singleChain().logId("bench-rules").sink(sink).shutdownHook(false);
        if (rules.equals("on")) {
            b.intercept(Protection.builder().rule(Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(5)
                            .within(Duration.ofMinutes(1)).build())
                    .rule(Rules.restrictedTargets("restricted").targetType("vault").build())
                    .rule(Rules.privilegeChanges("privilege").build())
                    .rule(Rules.outsideWorkingHours("hours").days(DayOfWeek.values())
                            .hours(LocalTime.MIN, LocalTime.MAX).build()) // evaluated, and quiet at any hour
                    .rule(Rules.newSourceIp("new-ip").privilegedActors("admin*").build()).build());
        }
        log = b.build();
        // A realistic mix in which rules rarely fire: what they cost to evaluate, not the alerts they write.
        events = new AuditEvent[BATCH];
        for (int i = 0; i < BATCH; i++) {
            events[i] = i % 50 == 0 ? Fixtures.event()
                    : AuditEvent.builder().action("document.read").category(Category.DATA_ACCESS)
                    .actor(Actor.user("user-" + i)).target(Target.of("document", "doc-" + i))
                    .outcome(Outcome.success())
                    .origin(Origin.builder().ip("198.51.100." + (i % 250)).channel(Channel.API).build())
                    .build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long recorded = log.metrics().recorded();
        log.close();
        Fixtures.check(sink.records.get() >= recorded, "the no-op sink received " + sink.records.get() + " of "
                + recorded + " records");
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void recordAndEvaluate() {
        for (AuditEvent e : events) {
            log.record(e);
        }
        log.flush();
    }
}
