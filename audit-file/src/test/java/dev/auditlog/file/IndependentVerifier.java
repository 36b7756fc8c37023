package dev.auditlog.file;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.integrity.WholeLogVerifier;
import dev.auditlog.spi.ChainIds;
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
        return run(dir, logId, List.of(key), anchoredNote, null, scratch);
    }

    /**
     * Runs the Python verifier trusting {@code keys}, with {@code anchoredNote} and {@code anchoredRetention} (each
     * when not null) as the anchor's checkpoint and retention statement for the log.
     */
    static Outcome run(Path dir, String logId, List<VerifierKey> keys, String anchoredNote, String anchoredRetention,
                       Path scratch) {
        try {
            Files.createDirectories(scratch);
            List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString(), dir.toString(), "--log", logId));
            for (VerifierKey key : keys) {
                Path pub = Files.createTempFile(scratch, "key", ".pub");
                Files.delete(pub);
                Ed25519Keys.writeVerifierKey(pub, key);
                cmd.add("--public-key");
                cmd.add(pub.toString());
            }
            if (anchoredNote != null) {
                Path anchor = Files.createTempDirectory(scratch, "anchor");
                Files.writeString(anchor.resolve(logId + ".checkpoint"), anchoredNote, StandardCharsets.UTF_8);
                if (anchoredRetention != null) {
                    Files.writeString(anchor.resolve(logId + ".retention"), anchoredRetention, StandardCharsets.UTF_8);
                }
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
        assertAgrees(java, dir, logId, List.of(key), anchoredNote, null, scratch);
    }

    /** Asserts that both verifiers reach the same verdict class, trusting {@code keys}, with the anchor's notes. */
    static void assertAgrees(VerificationReport java, Path dir, String logId, List<VerifierKey> keys,
                             String anchoredNote, String anchoredRetention, Path scratch) {
        assumeAvailable();
        Outcome py = run(dir, logId, keys, anchoredNote, anchoredRetention, scratch);
        // As `auditlog verify` does, the chain's verdict includes the store's registry check (CHAIN_MISSING).
        List<Finding> registry = registryFindings(dir, logId, keys);
        String verdict = registry.isEmpty() ? verdict(java) : "invalid";
        assertThat(py.verdict()).as("the Python verifier disagrees with the Java one (%s)%nJava: %s %s%nPython: %s%s",
                verdict, java.findings(), registry, py.out(), py.err()).isEqualTo(verdict);
    }

    /** The log-wide findings of the Java whole-log verifier about chain {@code chainId} (FORMAT.md section 13). */
    private static List<Finding> registryFindings(Path dir, String chainId, List<VerifierKey> keys) {
        LogVerifier.Builder b = LogVerifier.builder(keys.get(0));
        keys.subList(1, keys.size()).forEach(b::alsoTrust);
        try (FileAuditReader reader = FileAuditReader.open(dir)) {
            return new WholeLogVerifier(b.build()).verify(reader, ChainIds.logOf(chainId)).findings().stream()
                    .filter(f -> f.location().equals("chain " + chainId)).toList();
        } catch (IOException e) {
            return List.of(); // no chain of the log in the store: the chain's own report says what is wrong
        }
    }
}
