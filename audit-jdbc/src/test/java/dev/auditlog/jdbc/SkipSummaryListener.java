package dev.auditlog.jdbc;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts the tests that did not run and prints, when the run ends, one line per reason:
 * {@code SKIPPED 12 test(s): PostgreSQL not reachable at 127.0.0.1:5432/test: ... (set CI=true to require it)}.
 * Aborted tests (a failed assumption, such as an unreachable database off CI) and disabled ones both count; a
 * skipped or aborted container counts each test under it. Silent when every test ran. Registered for audit-jdbc's
 * tests through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
// "exports": the test classes are compiled into the dev.auditlog.jdbc module, whose exported package this public
// class (public for the ServiceLoader) sits in, while the JUnit launcher types are on the class path.
@SuppressWarnings("exports")
public final class SkipSummaryListener implements TestExecutionListener {

    private final PrintStream out;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    private TestPlan plan;

    /** For the ServiceLoader: prints to standard output, which surefire shows in the build log. */
    public SkipSummaryListener() {
        this(System.out);
    }

    SkipSummaryListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        counts.clear();
        finished.clear();
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        count(id, "disabled: " + (reason == null || reason.isBlank() ? id.getDisplayName() : reason.strip()));
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(t -> Optional.ofNullable(t.getMessage())
                    .map(m -> m.lines().findFirst().orElse("").strip()).filter(m -> !m.isEmpty())
                    .orElse(t.getClass().getSimpleName())).orElse("aborted");
            count(id, reason);
        }
        finished.add(id.getUniqueId());
    }

    /** A test counts once; a container counts its tests that have not finished (they never will). */
    private void count(TestIdentifier id, String reason) {
        int n = 0;
        if (id.isTest()) {
            n = finished.contains(id.getUniqueId()) ? 0 : 1;
            finished.add(id.getUniqueId());
        }
        if (plan != null && id.isContainer()) {
            for (TestIdentifier d : plan.getDescendants(id)) {
                if (d.isTest() && finished.add(d.getUniqueId())) {
                    n++;
                }
            }
        }
        if (n > 0) {
            counts.merge(reason, n, Integer::sum);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        for (String line : summary()) {
            out.println(line);
        }
        out.flush();
    }

    /** The summary lines, most skipped first. */
    synchronized List<String> summary() {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Integer> e : entries) {
            lines.add("SKIPPED " + e.getValue() + " test(s): " + e.getKey());
        }
        return lines;
    }
}
