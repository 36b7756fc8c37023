package dev.auditlog.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.auditlog.kafka.FixtureKafkaSink;
import dev.auditlog.internal.fixture.FixtureCore;
import dev.auditlog.servlet.FixtureIntegration;
import dev.auditlog.tck.FixtureExported;
import dev.auditlog.tck.internal.FixtureHidden;
import dev.auditlog.teststore.FixtureStore;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureTest}, run on fixture classes that break it (this module's test sources), must
 * report the offending dependency: the rules stay proven while some of them are disabled on the real code.
 */
class RulesCatchViolationsTest {

    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(FixtureExported.class,
            FixtureHidden.class, FixtureKafkaSink.class, FixtureStore.class, FixtureCore.class,
            FixtureIntegration.class);

    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURES);
        assertThat(result.hasViolation()).as("%s on the fixtures", rule.getDescription()).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    void exportedOnInternal() {
        assertThat(violations(ArchitectureTest.exportedPackagesNeverDependOnInternal()))
                .contains("dev.auditlog.tck.FixtureExported").contains("dev.auditlog.tck.internal.FixtureHidden");
    }

    @Test
    void coreOnASink() {
        assertThat(violations(ArchitectureTest.coreNeverDependsOnSinksOrCli()))
                .contains("dev.auditlog.internal.fixture.FixtureCore").contains("dev.auditlog.teststore.FixtureStore");
    }

    @Test
    void sinkOnAnotherSinkBothWays() {
        assertThat(violations(ArchitectureTest.sinksNeverDependOnEachOtherRule()))
                .contains("Field <dev.auditlog.kafka.FixtureKafkaSink.store>")
                .contains("Method <dev.auditlog.teststore.FixtureStore.kafka()>");
    }

    @Test
    void integrationOnInternalOrASink() {
        assertThat(violations(ArchitectureTest.integrationsUseOnlyThePublicApiRule()))
                .contains("Field <dev.auditlog.servlet.FixtureIntegration.engine>")
                .contains("Field <dev.auditlog.servlet.FixtureIntegration.store>");
    }

    @Test
    void reflectiveLookup() {
        assertThat(violations(ArchitectureTest.noReflectiveLookups()))
                .contains("dev.auditlog.internal.fixture.FixtureCore.reflectiveFactory()").contains("forName");
    }

    @Test
    void packageCycle() {
        assertThat(violations(ArchitectureTest.noPackageCycles())).contains("Slice kafka").contains("Slice teststore");
    }
}
