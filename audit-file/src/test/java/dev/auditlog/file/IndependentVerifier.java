package dev.auditlog.file;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.integrity.VerifierKey;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the second verifier, {@code tools/verify/auditlog_verify.py} (Python 3, written from docs/FORMAT.md and
 * docs/FILE-FORMAT.md, sharing no code with the writer), on a file store and compares its verdict class (valid,
 * warnings, invalid: its exit code 0, 2, 1) with the Java verifier's. Off CI a machine without {@code python3} skips;
 * under {@code CI=true} it is required.
 */
final class IndependentVerifier {
    static final Path SCRIPT = locate();
    private static final boolean CI = "true".equals(System.getenv("CI"));
    private static Boolean available;

    private IndependentVerifier() {
    }

    private static Path locate() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("tools/verify/auditlog_verify.py"))) {
            p = p.getParent();
        }
        return p == null ? Path.of("tools/verify/auditlog_verify.py") : p.resolve("tools/verify/auditlog_verify.py");
    }

    /** Skips the calling test when python3 is missing off CI; fails under CI=true. */
    static void assumeAvailable() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
                available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        if (!available) {
            assertThat(CI).as("python3 is required under CI=true to run tools/verify/auditlog_verify.py").isFalse();
            Assumptions.abort("python3 not found: the independent verifier (tools/verify) is not run");
        }
        assertThat(SCRIPT).exists();
    }

    /** The Python verifier's outcome. */
    record Outcome(int exit, String out, String err) {
        /** "valid", "warnings" or "invalid", from the exit code; anything else fails. */
        String verdict() {
            return switch (exit) {
                case 0 -> "valid";
                case 1 -> "invalid";
                case 2 -> "warnings";
                default -> throw new AssertionError("the Python verifier exited " + exit + ": " + err + out);
            };
        }
    }

    /** The Java report's verdict class. */
    static String verdict(VerificationReport report) {
        return !report.isValid() ? "invalid" : report.hasWarnings() ? "warnings" : "valid";
    }

    /**
     * Runs the Python verifier on log {@code logId} of store {@code dir}, pinned to {@code key}, with
     * {@code anchoredNote} (when not null) as the anchor's checkpoint for the log.
     */
    static Outcome run(Path dir, String logId, VerifierKey key, String anchoredNote, Path scratch) {
        try {
            Files.createDirectories(scratch);
            Path pub = Files.createTempFile(scratch, "key", ".pub");
            Files.delete(pub);
            Ed25519Keys.writeVerifierKey(pub, key);
            List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString(), dir.toString(), "--public-key",
                    pub.toString(), "--log", logId));
            if (anchoredNote != null) {
                Path anchor = Files.createTempDirectory(scratch, "anchor");
                Files.writeString(anchor.resolve(logId + ".checkpoint"), anchoredNote, StandardCharsets.UTF_8);
                cmd.add("--anchor");
                cmd.add(anchor.toString());
            }
            Path out = Files.createTempFile(scratch, "py", ".out");
            Path err = Files.createTempFile(scratch, "py", ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the Python verifier did not finish in 120 s");
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts that both verifiers reach the same verdict class on the store. */
    static void assertAgrees(VerificationReport java, Path dir, String logId, VerifierKey key, String anchoredNote,
                             Path scratch) {
        assumeAvailable();
        Outcome py = run(dir, logId, key, anchoredNote, scratch);
        assertThat(py.verdict()).as("the Python verifier disagrees with the Java one (%s)%nJava: %s%nPython: %s%s",
                verdict(java), java.findings(), py.out(), py.err()).isEqualTo(verdict(java));
    }
}
