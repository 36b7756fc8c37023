package dev.auditlog.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The compiled classes of the modules, imported from their build directories ({@code <module>/target/classes} and
 * {@code <module>/target/test-classes}). A missing directory, or one with fewer classes than its module surely has,
 * fails the import, so that no rule can pass on nothing. Each set is imported once per test run.
 */
final class ModuleClasses {

    /** The modules under the rules, each with the least number of main and test classes it must have. */
    enum Module {
        CORE("audit-core", 100, 20),
        TCK("audit-tck", 5, 3),
        PROTECT("audit-protect", 10, 2),
        FILE("audit-file", 10, 5),
        JDBC("audit-jdbc", 5, 5),
        CLI("audit-cli", 5, 1),
        OPENTELEMETRY("audit-opentelemetry", 1, 1),
        SERVLET("audit-servlet", 4, 3),
        LOGBACK("audit-logback", 1, 2);

        final String dir;
        final int minMain;
        final int minTest;

        Module(String dir, int minMain, int minTest) {
            this.dir = dir;
            this.minMain = minMain;
            this.minTest = minTest;
        }
    }

    enum Scope {
        MAIN("classes"), TEST("test-classes");

        final String dir;

        Scope(String dir) {
            this.dir = dir;
        }
    }

    private static final Map<String, JavaClasses> CACHE = new ConcurrentHashMap<>();

    private ModuleClasses() {
    }

    /** The main classes of every module. */
    static JavaClasses main() {
        return of(List.of(Module.values()), List.of(Scope.MAIN));
    }

    /** The main and test classes of every module. */
    static JavaClasses mainAndTest() {
        return of(List.of(Module.values()), List.of(Scope.MAIN, Scope.TEST));
    }

    /** The main and test classes of one module. */
    static JavaClasses mainAndTest(Module module) {
        return of(List.of(module), List.of(Scope.MAIN, Scope.TEST));
    }

    static JavaClasses of(List<Module> modules, List<Scope> scopes) {
        return CACHE.computeIfAbsent(modules + "/" + scopes, key -> load(modules, scopes));
    }

    private static JavaClasses load(List<Module> modules, List<Scope> scopes) {
        List<Path> dirs = new ArrayList<>();
        int minimum = 0;
        for (Module m : modules) {
            for (Scope s : scopes) {
                Path dir = root().resolve(m.dir).resolve("target").resolve(s.dir);
                assertThat(dir).as("%s: build the modules first (mvn -B verify -pl audit-architecture -am)", dir)
                        .isDirectory();
                int least = s == Scope.MAIN ? m.minMain : m.minTest;
                assertThat(classFiles(dir)).as("class files in %s", dir).isGreaterThanOrEqualTo(least);
                dirs.add(dir);
                minimum += least;
            }
        }
        JavaClasses all = new ClassFileImporter().importPaths(dirs);
        assertThat(all.size()).as("classes imported from %s", dirs).isGreaterThanOrEqualTo(minimum);
        return all;
    }

    private static long classFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".class"))
                    .filter(p -> !p.getFileName().toString().equals("module-info.class")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(dir.toString(), e);
        }
    }

    static Path root() {
        String prop = System.getProperty("auditlog.root");
        Path root = Paths.get(prop == null || prop.isBlank() ? ".." : prop).toAbsolutePath().normalize();
        assertThat(root.resolve("pom.xml")).as("the project root (system property auditlog.root)").isRegularFile();
        assertThat(Files.isDirectory(root.resolve("audit-core"))).as("%s has audit-core", root).isTrue();
        return root;
    }
}
