package dev.auditlog.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs small fixtures in a launcher of their own and reads what the listener prints. */
class SkipSummaryListenerTest {

    private static String run(Class<?>... fixtures) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // No auto-registered listeners: only the one under test, printing into the buffer.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter(FixturesOnly.PARAMETER, "true");
        for (Class<?> c : fixtures) {
            request.selectors(selectClass(c));
        }
        launcher.execute(request.build(), new SkipSummaryListener(out));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsAbortedAndDisabledTestsPerReason() {
        assertThat(run(Mixed.class).lines()).containsExactly(
                "SKIPPED 2 test(s): Demo DB not reachable at 127.0.0.1:1/x (set CI=true to require it)",
                "SKIPPED 1 test(s): disabled: not today");
    }

    @Test
    void anAbortedContainerCountsEachOfItsTests() {
        assertThat(run(AbortedClass.class).lines())
                .containsExactly("SKIPPED 3 test(s): whole class skipped");
    }

    @Test
    void silentWhenEverythingRan() {
        assertThat(run(AllRun.class)).isEmpty();
    }

    // Fixtures: nested (surefire's default excludes skip classes with '$' in their name), and disabled anywhere but
    // in the launcher above (say a -Dtest pattern selects them).

    /** Enables the fixtures only in a launcher that sets {@link #PARAMETER}. */
    static final class FixturesOnly implements ExecutionCondition {
        static final String PARAMETER = "auditlog.skipSummaryFixtures";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by SkipSummaryListenerTest")
                    : ConditionEvaluationResult.disabled("fixture of SkipSummaryListenerTest, run only by it");
        }
    }

    @ExtendWith(FixturesOnly.class)
    static class Mixed {
        @Test
        void runs() {
            assertThat(1 + 1).isEqualTo(2);
        }

        @Test
        void abortsOnce() {
            Assumptions.abort("Demo DB not reachable at 127.0.0.1:1/x (set CI=true to require it)");
        }

        @Test
        void abortsTwice() {
            Assumptions.abort("Demo DB not reachable at 127.0.0.1:1/x (set CI=true to require it)");
        }

        @Test
        @Disabled("not today")
        void disabled() {
        }
    }

    @ExtendWith(FixturesOnly.class)
    static class AbortedClass {
        @BeforeAll
        static void noServer() {
            Assumptions.abort("whole class skipped");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }

        @Test
        void three() {
        }
    }

    @ExtendWith(FixturesOnly.class)
    static class AllRun {
        @Test
        void runs() {
            assertThat("a").isEqualTo("a");
        }
    }
}
