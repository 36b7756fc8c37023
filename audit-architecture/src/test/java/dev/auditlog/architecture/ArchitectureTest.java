package dev.auditlog.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.lang.ArchRule;
import dev.auditlog.architecture.ModuleClasses.Module;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries of "One shape for the core", checked on the compiled classes of every module (see
 * {@link ModuleClasses}). A failure lists every offending dependency with its source location.
 */
class ArchitectureTest {

    /** What the module-info.java files export (unqualified): the public API. */
    static final List<String> EXPORTED = List.of("dev.auditlog", "dev.auditlog.spi", "dev.auditlog.integrity",
            "dev.auditlog.protect", "dev.auditlog.file", "dev.auditlog.jdbc", "dev.auditlog.kafka",
            "dev.auditlog.tck", "dev.auditlog.opentelemetry", "dev.auditlog.servlet", "dev.auditlog.logback",
            "dev.auditlog.micrometer", "dev.auditlog.spring", "dev.auditlog.spring.boot");

    /** audit-core's packages. */
    static final List<String> CORE = List.of("dev.auditlog", "dev.auditlog.spi", "dev.auditlog.integrity",
            "dev.auditlog.internal..");

    /**
     * Every sink's packages, one entry per sink: the sink modules, a planned one, and test-only stores. Add a sink
     * here and the rules below cover it.
     */
    static final List<String> SINKS = List.of("dev.auditlog.file..", "dev.auditlog.jdbc..", "dev.auditlog.kafka..",
            "dev.auditlog.teststore..");

    static final String CLI = "dev.auditlog.cli..";

    /**
     * The integrations with frameworks and loggers, one entry per module. They use the library as an application
     * does: exported API and SPI only, never the engine, a module's internals, the CLI or each other. Add an
     * integration here (and its module to {@link ModuleClasses.Module}) and the rule below covers it.
     */
    static final List<String> INTEGRATIONS = List.of("dev.auditlog.opentelemetry..", "dev.auditlog.servlet..",
            "dev.auditlog.logback..", "dev.auditlog.micrometer..", "dev.auditlog.spring..");

    /**
     * The Spring Boot starter: an integration that wires the others (Micrometer's meters, for one) into an application
     * context, so it may use their exported API too; still never internals, a test store or the CLI.
     */
    static final String STARTER = "dev.auditlog.spring..";

    /**
     * THE ONE EXCEPTION to "exported packages never depend on internal ones": the entry point
     * {@code dev.auditlog.AuditLog} (and its nested classes, e.g. the builder) builds and drives the engine in
     * {@code dev.auditlog.internal..}. It may depend on that engine, and on nothing else that is internal.
     */
    static final DescribedPredicate<Dependency> ENTRY_POINT_USES_CORE_ENGINE = describe(
            "the entry point dev.auditlog.AuditLog (and its nested classes) uses the engine in dev.auditlog.internal..",
            d -> isEntryPoint(d.getOriginClass())
                    && PackageMatcher.of("dev.auditlog.internal..").matches(d.getTargetClass().getPackageName()));

    static boolean isEntryPoint(JavaClass c) {
        String name = c.getName();
        return name.equals("dev.auditlog.AuditLog") || name.startsWith("dev.auditlog.AuditLog$");
    }

    static final DescribedPredicate<Dependency> ON_INTERNAL = describe("the target resides in ..internal..",
            d -> PackageMatcher.of("..internal..").matches(d.getTargetClass().getPackageName()));

    @Test
    void exportedPackagesNeverDependOnInternalOnes() {
        exportedPackagesNeverDependOnInternal().check(ModuleClasses.main());
    }

    static ArchRule exportedPackagesNeverDependOnInternal() {
        return classes().that().resideInAnyPackage(EXPORTED.toArray(String[]::new))
                .should(onlyHaveDependenciesWhere(DescribedPredicate.not(ON_INTERNAL).or(ENTRY_POINT_USES_CORE_ENGINE)))
                .as("exported packages (" + String.join(", ", EXPORTED) + ") never depend on ..internal.. "
                        + "(one exception: " + ENTRY_POINT_USES_CORE_ENGINE.getDescription() + ")");
    }

    @Test
    void coreNeverDependsOnASinkOrTheCli() {
        coreNeverDependsOnSinksOrCli().check(ModuleClasses.mainAndTest(Module.CORE));
    }

    static ArchRule coreNeverDependsOnSinksOrCli() {
        String[] forbidden = concat(SINKS, List.of(CLI));
        return noClasses().that().resideInAnyPackage(CORE.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                .as("core (main and test classes of audit-core) never depends on a sink module or the CLI ("
                        + String.join(", ", forbidden) + ")");
    }

    @Test
    void sinksNeverDependOnEachOther() {
        sinksNeverDependOnEachOtherRule().check(ModuleClasses.mainAndTest());
    }

    static ArchRule sinksNeverDependOnEachOtherRule() {
        return classes().that().resideInAnyPackage(SINKS.toArray(String[]::new))
                .should(onlyHaveDependenciesWhere(describe("the target is not another sink's",
                        (Dependency d) -> sinkOf(d.getTargetClass())
                                .map(t -> t.equals(sinkOf(d.getOriginClass()).orElseThrow())).orElse(true))))
                .as("sink packages (" + String.join(", ", SINKS) + ") never depend on each other, test classes"
                        + " included");
    }

    @Test
    void integrationsUseOnlyThePublicApi() {
        integrationsUseOnlyThePublicApiRule().check(ModuleClasses.main());
    }

    static ArchRule integrationsUseOnlyThePublicApiRule() {
        return classes().that().resideInAnyPackage(INTEGRATIONS.toArray(String[]::new))
                .should(onlyHaveDependenciesWhere(describe("the target is outside dev.auditlog, in the integration's"
                        + " own package, or in an exported package of a library module", (Dependency d) -> {
                            String target = d.getTargetClass().getPackageName();
                            String origin = d.getOriginClass().getPackageName();
                            boolean sameIntegration = INTEGRATIONS.stream().anyMatch(i ->
                                    PackageMatcher.of(i).matches(origin) && PackageMatcher.of(i).matches(target));
                            return !target.startsWith("dev.auditlog") || sameIntegration
                                    || EXPORTED.contains(target) && (PackageMatcher.of(STARTER).matches(origin)
                                            || INTEGRATIONS.stream().noneMatch(i -> PackageMatcher.of(i).matches(target)));
                        })))
                .as("integrations (" + String.join(", ", INTEGRATIONS) + ") use the library as an application"
                        + " does: exported API only (" + String.join(", ", EXPORTED) + "), never ..internal.., a"
                        + " test store, the CLI or another integration (the starter " + STARTER + " may use the"
                        + " others' exported API)");
    }

    @Test
    void noLibraryCodeFindsClassesByReflection() {
        noReflectiveLookups().check(ModuleClasses.main());
    }

    /**
     * Item 4 of "One shape for the core": no factory is installed or found by reflection (the sealed-record
     * factory once was, through Class.forName). Services are found with ServiceLoader, from module declarations.
     */
    static ArchRule noReflectiveLookups() {
        return noClasses().that().resideInAPackage("dev.auditlog..")
                .should().callMethod(Class.class, "forName", String.class)
                .orShould().callMethod(Class.class, "forName", String.class, boolean.class, ClassLoader.class)
                .orShould().callMethod(java.lang.reflect.AccessibleObject.class, "setAccessible", boolean.class)
                .as("library code never looks classes up by name or opens them by reflection (Class.forName,"
                        + " setAccessible)");
    }

    @Test
    void mainPackagesAreFreeOfCycles() {
        noPackageCycles().check(ModuleClasses.main());
    }

    static ArchRule noPackageCycles() {
        return slices().matching("dev.auditlog.(*)..").should().beFreeOfCycles();
    }

    /** The sink (an entry of {@link #SINKS}) a class belongs to, if any. */
    static Optional<String> sinkOf(JavaClass c) {
        return SINKS.stream().filter(s -> PackageMatcher.of(s).matches(c.getPackageName())).findFirst();
    }

    private static String[] concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    // The rules see what they must: every module's classes, the sinks' test classes, the one exception.

    @Test
    void theImportCoversEveryModuleMainAndTest() {
        JavaClasses all = ModuleClasses.mainAndTest();
        for (String pkg : List.of("dev.auditlog", "dev.auditlog.internal", "dev.auditlog.file", "dev.auditlog.jdbc",
                "dev.auditlog.tck", "dev.auditlog.cli", "dev.auditlog.opentelemetry", "dev.auditlog.servlet",
                "dev.auditlog.logback")) {
            assertThat(all.containPackage(pkg)).as(pkg).isTrue();
        }
        assertThat(all.contain("dev.auditlog.AuditLog")).isTrue();
        // A test class of a sink module: the sink rule covers test scope.
        assertThat(all.contain("dev.auditlog.jdbc.TestDatabase")).isTrue();
        assertThat(ModuleClasses.main().contain("dev.auditlog.jdbc.TestDatabase")).isFalse();
    }

    @Test
    void theExceptionIsTheEntryPointOnTheCoreEngineOnly() {
        JavaClasses main = ModuleClasses.main();
        JavaClass auditLog = main.get("dev.auditlog.AuditLog");
        List<Dependency> onInternal = auditLog.getDirectDependenciesFromSelf().stream().filter(ON_INTERNAL)
                .collect(Collectors.toList());
        assertThat(onInternal).as("AuditLog's dependencies on ..internal.. (else the exception is dead)")
                .isNotEmpty().allMatch(ENTRY_POINT_USES_CORE_ENGINE);
        assertThat(main.stream().filter(c -> c.getName().startsWith("dev.auditlog.AuditLog$")))
                .as("nested classes of AuditLog").isNotEmpty().allMatch(ArchitectureTest::isEntryPoint);
        assertThat(main.stream().filter(ArchitectureTest::isEntryPoint)
                .filter(c -> !c.getPackageName().equals("dev.auditlog"))).isEmpty();
        assertThat(isEntryPoint(main.get("dev.auditlog.AuditEvent"))).isFalse();
        // Any other exported class on the engine is not excused.
        assertThat(main.get("dev.auditlog.AuditEvent").getDirectDependenciesFromSelf().stream()
                .filter(ON_INTERNAL).filter(ENTRY_POINT_USES_CORE_ENGINE)).isEmpty();
    }

    @Test
    void theStartersRequestPathNeverLinksAgainstSpringSecurity() {
        // Spring Security is optional: a class a web request reaches in an application without it must not load one
        // that links against it, or every request fails with NoClassDefFoundError (found from an outside project).
        ArchRule rule = noClasses().that().haveFullyQualifiedName("dev.auditlog.spring.boot.GuardLockoutFilter")
                .or().haveFullyQualifiedName("dev.auditlog.spring.boot.Requests")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.auditlog.spring.boot.SecurityEventRecorder")
                .orShould().dependOnClassesThat().resideInAPackage("org.springframework.security.authentication..");
        rule.check(ModuleClasses.main());
    }
}
