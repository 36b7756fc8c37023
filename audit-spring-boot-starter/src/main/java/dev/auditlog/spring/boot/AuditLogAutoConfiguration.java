package dev.auditlog.spring.boot;

import dev.auditlog.AuditListener;
import dev.auditlog.AuditLog;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.protect.AlertListener;
import dev.auditlog.protect.AlertListeners;
import dev.auditlog.protect.AlertResponse;
import dev.auditlog.protect.GuardRules;
import dev.auditlog.protect.Protection;
import dev.auditlog.protect.Rules;
import dev.auditlog.spi.AuditInterceptor;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;
import dev.auditlog.spi.CheckpointAnchor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The audit log of a Spring Boot application, from {@code auditlog.*}: the sink, the log, its protection (detection
 * rules, the guard) and a lifecycle that flushes on graceful shutdown and closes the log last. Every bean backs off
 * when the application defines one of the same type.
 */
@AutoConfiguration
@ConditionalOnClass(AuditLog.class)
@ConditionalOnProperty(prefix = "auditlog", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AuditLogProperties.class)
public class AuditLogAutoConfiguration {

    /**
     * The sink named by {@code auditlog.sink}, found among the {@link AuditSinkProvider}s on the class path. Spring
     * does not close it: the log does, after its last record (Spring could otherwise close it first).
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean({AuditSink.class, AuditLog.class})
    public AuditSink auditLogSink(AuditLogProperties properties) {
        String spec = properties.getSink();
        if (spec == null) {
            throw new IllegalStateException("auditlog.sink is not set: name where records go, such as"
                    + " auditlog.sink=file:./audit (or define an AuditSink or AuditLog bean, or set"
                    + " auditlog.enabled=false)");
        }
        return sinkFor(spec);
    }

    static AuditSink sinkFor(String spec) {
        String scheme = spec.substring(0, spec.indexOf(':')).toLowerCase(Locale.ROOT);
        List<String> schemes = new ArrayList<>();
        for (AuditSinkProvider p : ServiceLoader.load(AuditSinkProvider.class, AuditLogAutoConfiguration.class
                .getClassLoader())) {
            if (p.scheme().equals(scheme)) {
                return p.create(spec);
            }
            schemes.add(p.scheme());
        }
        throw new IllegalStateException("auditlog.sink: no store serves the scheme \"" + scheme + "\" (found: "
                + String.join(", ", schemes) + "); add the module that provides it, such as audit-jdbc for jdbc:");
    }

    /** Detection rules and the guard from {@code auditlog.protection.*}, plus every {@link AlertListener} bean. */
    @Bean
    @ConditionalOnMissingBean
    public Protection auditLogProtection(AuditLogProperties properties, ObjectProvider<AlertListener> alertListeners,
                                         ObjectProvider<ProtectionCustomizer> customizers) {
        AuditLogProperties.Protection p = properties.getProtection();
        Protection.Builder b = Protection.builder();
        for (AuditLogProperties.ThresholdRule r : p.getRules()) {
            Rules.ThresholdBuilder t = Rules.threshold(r.getId()).action(r.getAction()).keyBy(r.getKeyBy())
                    .count(r.getCount()).within(r.getWithin()).severity(r.getSeverity());
            if (r.getOutcome() != null) {
                t.outcome(r.getOutcome());
            }
            if (r.getLockFor() != null) {
                t.respond(AlertResponse.lockKey(r.getLockFor()));
            }
            b.rule(t.build());
        }
        if (p.isLockedOutGuard()) {
            b.guardRule(GuardRules.lockedOut());
        }
        if (p.isLogAlerts()) {
            b.alertListener(AlertListeners.slf4j());
        }
        alertListeners.orderedStream().forEach(b::alertListener);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /**
     * The log: every {@link AuditSink} bean, the protection and any other {@link AuditInterceptor} beans, every
     * {@link AuditListener} and {@link CheckpointAnchor} bean, then the {@link AuditLogBuilderCustomizer}s. Spring
     * closes it (draining the queue and writing a last checkpoint) when the context closes; the JVM shutdown hook of
     * the library is off, since Spring owns the log's life.
     */
    @Bean
    @ConditionalOnMissingBean
    public AuditLog auditLog(AuditLogProperties properties, ObjectProvider<AuditSink> sinks,
                             ObjectProvider<AuditInterceptor> interceptors, ObjectProvider<AuditListener> listeners,
                             ObjectProvider<CheckpointAnchor> anchors,
                             ObjectProvider<AuditLogBuilderCustomizer> customizers) {
        AuditLog.Builder b = AuditLog.builder().logId(properties.getLogId()).delivery(properties.getDelivery())
                .strict(properties.isStrict()).queueCapacity(properties.getQueueCapacity())
                .overflowPolicy(properties.getOverflowPolicy()).closeTimeout(properties.getCloseTimeout())
                .shutdownHook(false);
        if (properties.getInstanceId() != null) {
            b.instanceId(properties.getInstanceId());
        }
        if (properties.getBlockTimeout() != null) {
            b.blockTimeout(properties.getBlockTimeout());
        }
        sinks.orderedStream().forEach(b::sink);
        interceptors.orderedStream().forEach(b::intercept);
        listeners.orderedStream().forEach(b::listener);
        AuditLogProperties.Checkpoint c = properties.getCheckpoint();
        if (c.getKeyFile() != null) {
            b.checkpoints(readKey(c)).checkpointEvery(c.getEveryRecords(), c.getInterval());
            if (properties.getAnchor().getDirectory() != null) {
                b.anchor(CheckpointAnchor.directory(properties.getAnchor().getDirectory()));
            }
            if (properties.getAnchor().isStdout()) {
                b.anchor(CheckpointAnchor.stdout());
            }
            anchors.orderedStream().forEach(b::anchor);
        }
        customizers.orderedStream().forEach(cz -> cz.customize(b));
        return b.build();
    }

    private static SigningKey readKey(AuditLogProperties.Checkpoint c) {
        try {
            return Ed25519Keys.readSigningKey(c.getKeyFile());
        } catch (IOException e) {
            // The message names the file and the reason (no key material is ever in it).
            throw new UncheckedIOException("auditlog.checkpoint.key-file: cannot read " + c.getKeyFile() + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auditlog.checkpoint.key-file: " + c.getKeyFile() + " is not a"
                    + " private key written by auditlog keygen (" + e.getMessage() + ")", e);
        }
    }

    /** Flushes the log when the application stops, after the web server finished its requests. */
    @Bean
    @ConditionalOnMissingBean
    public AuditLogLifecycle auditLogLifecycle(AuditLog log) {
        return new AuditLogLifecycle(log);
    }
}
