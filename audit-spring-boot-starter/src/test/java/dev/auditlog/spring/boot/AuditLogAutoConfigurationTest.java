package dev.auditlog.spring.boot;

import dev.auditlog.AuditLog;
import dev.auditlog.MemorySink;
import dev.auditlog.micrometer.AuditAlertMetrics;
import dev.auditlog.micrometer.AuditLogMetrics;
import dev.auditlog.protect.Protection;
import dev.auditlog.spi.AuditSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions, overrides and property validation, without a server. */
class AuditLogAutoConfigurationTest {
    private static final AutoConfigurations ALL = AutoConfigurations.of(AuditLogAutoConfiguration.class,
            AuditLogSecurityAutoConfiguration.class, AuditLogActuatorAutoConfiguration.class,
            AuditLogMetricsAutoConfiguration.class, AuditLogWebAutoConfiguration.class, AuditedAutoConfiguration.class);

    /** By name: its class is Boot 3's or Boot 4's, and the tests run on both. */
    private static final String HEALTH = "auditlogHealthIndicator";

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(ALL)
            .withPropertyValues("auditlog.sink=memory:", "auditlog.log-id=ctx");

    @Test
    void buildsTheLogAndEverythingAroundItFromProperties() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).hasSingleBean(AuditLog.class).hasSingleBean(AuditSink.class)
                    .hasSingleBean(Protection.class).hasSingleBean(AuditLogLifecycle.class)
                    .hasSingleBean(SecurityEventRecorder.class).hasSingleBean(AuditLogEventRepository.class)
                    .hasBean(HEALTH).hasSingleBean(AuditLogMetrics.class)
                    .hasSingleBean(AuditAlertMetrics.class).hasSingleBean(AuditedMethodPostProcessor.class);
            assertThat(ctx.getBean(AuditLog.class).logId()).isEqualTo("ctx");
            // Not a web application: no filter.
            assertThat(ctx).doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void theInstanceIdNamesThisReplicasChainAndIsCheckedAtStart() {
        runner.withPropertyValues("auditlog.instance-id=pod-7").run(ctx -> assertThat(ctx.getBean(AuditLog.class)
                .chainId()).isEqualTo("ctx@pod-7"));
        runner.withPropertyValues("auditlog.instance-id=pod 7").run(ctx -> assertThat(ctx).getFailure().rootCause()
                .hasMessageContaining("auditlog.instance-id").hasMessageContaining("rejected value [pod 7]"));
    }

    @Test
    void aServletWebApplicationGetsTheLockoutFilterUnlessTurnedOff() {
        WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(ALL)
                .withPropertyValues("auditlog.sink=memory:");
        web.run(ctx -> assertThat(ctx.getBeansOfType(FilterRegistrationBean.class).values())
                .anySatisfy(r -> assertThat(r.getFilter()).isInstanceOf(GuardLockoutFilter.class)));
        web.withPropertyValues("auditlog.web.lockout.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(FilterRegistrationBean.class));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        runner.withUserConfiguration(OwnBeans.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(AuditLog.class)).isSameAs(ctx.getBean("ownLog"));
            assertThat(ctx.getBean(Protection.class)).isSameAs(ctx.getBean("ownProtection"));
            assertThat(ctx.getBean(AuditEventRepository.class)).isInstanceOf(InMemoryAuditEventRepository.class);
            assertThat(ctx).doesNotHaveBean(AuditSink.class); // the starter's sink backs off for an own log
        });
    }

    @Test
    void anOwnSinkBeanIsUsedInsteadOfTheProperty() {
        new ApplicationContextRunner().withConfiguration(ALL).withUserConfiguration(OwnSink.class).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(AuditSink.class)).isSameAs(ctx.getBean("ownSink"));
        });
    }

    @Test
    void withoutSpringSecurityNoRecorderWithoutActuatorNoRepository() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.security",
                "org.springframework.boot.actuate")).run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(AuditLog.class);
            assertThat(ctx).doesNotHaveBean(SecurityEventRecorder.class)
                    .doesNotHaveBean(AuditLogEventRepository.class).doesNotHaveBean(HEALTH);
        });
    }

    @Test
    void switchesTurnPartsOff() {
        runner.withPropertyValues("auditlog.security.enabled=false", "auditlog.audit-events.enabled=false",
                "management.health.auditlog.enabled=false").run(ctx -> {
            assertThat(ctx).hasNotFailed().doesNotHaveBean(SecurityEventRecorder.class)
                    .doesNotHaveBean(AuditLogEventRepository.class).doesNotHaveBean(HEALTH);
        });
        runner.withPropertyValues("auditlog.enabled=false").run(ctx -> assertThat(ctx).hasNotFailed()
                .doesNotHaveBean(AuditLog.class).doesNotHaveBean(AuditedMethodPostProcessor.class));
    }

    @Test
    void aMissingSinkSaysWhichKeyToSet() {
        new ApplicationContextRunner().withConfiguration(ALL).run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.sink is not set").hasMessageContaining("file:./audit"));
    }

    @Test
    void anUnknownSchemeListsTheKnownOnes() {
        runner.withPropertyValues("auditlog.sink=kafka:topic").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.sink").hasMessageContaining("\"kafka\"")
                .hasMessageContaining("memory").hasMessageContaining("file"));
    }

    @Test
    void invalidValuesNameTheKeyAndTheValue() {
        runner.withPropertyValues("auditlog.queue-capacity=0").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.queue-capacity").hasMessageContaining("rejected value [0]")
                .hasMessageContaining("between 1 and 16777216"));
        runner.withPropertyValues("auditlog.log-id=bad id!").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.log-id").hasMessageContaining("rejected value [bad id!]"));
        runner.withPropertyValues("auditlog.web.lockout.status=500").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.web.lockout.status").hasMessageContaining("rejected value [500]")
                .hasMessageContaining("403, 423 or 429"));
        runner.withPropertyValues("auditlog.protection.rules[0].id=burst", "auditlog.protection.rules[0].action=x",
                "auditlog.protection.rules[0].within=-5s").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.protection.rules[0].within")
                .hasMessageContaining("positive"));
        runner.withPropertyValues("auditlog.delivery=sometimes").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("sometimes"));
        runner.withPropertyValues("auditlog.anchor.stdout=true").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("auditlog.anchor.stdout")
                .hasMessageContaining("auditlog.checkpoint.key-file"));
    }

    @Test
    void aKeyFileThatIsNotAKeySaysSo(@TempDir Path dir) throws Exception {
        Path notAKey = dir.resolve("auditlog.key");
        java.nio.file.Files.writeString(notAKey, "hello\n");
        runner.withPropertyValues("auditlog.checkpoint.key-file=" + notAKey).run(ctx -> assertThat(ctx)
                .getFailure().hasStackTraceContaining("auditlog.checkpoint.key-file: " + notAKey + " is not a private key")
                .satisfies(t -> assertThat(stackTrace(t)).doesNotContain("hello")));
        runner.withPropertyValues("auditlog.checkpoint.key-file=" + dir.resolve("missing.key")).run(ctx ->
                assertThat(ctx).getFailure().hasStackTraceContaining("auditlog.checkpoint.key-file: cannot read")
                        .hasStackTraceContaining("missing.key"));
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        AuditLog ownLog() {
            return AuditLog.builder().singleChain().logId("own").sink(new MemorySink()).shutdownHook(false).build();
        }

        @Bean
        Protection ownProtection() {
            return Protection.builder().build();
        }

        @Bean
        AuditEventRepository ownRepository() {
            return new InMemoryAuditEventRepository();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSink {
        @Bean
        AuditSink ownSink() {
            return new MemorySink();
        }
    }
}
