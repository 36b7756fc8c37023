package dev.auditlog.integrity;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The published test vectors, from the test class path ({@code audit-core/src/test/resources/vectors}, copied from
 * the project's shared directory with their source notes and licences). Every file listed in
 * {@code vectors/SHA256SUMS} must be there with that hash, and no other file may be: a missing, changed or unlisted
 * vector file fails the calling test; it is never skipped. Only the manifest and the top-level README.md are not
 * listed in it.
 */
final class SharedVectors {

    static final String MANIFEST = "SHA256SUMS";
    /** The directory's own description, not a vector (not in the manifest). */
    static final String README = "README.md";
    private static final String ROOT = "/vectors/";

    private static Path verified;

    private SharedVectors() {
    }

    /** The vectors directory, checked against its manifest on first use. */
    static synchronized Path vectors() {
        if (verified == null) {
            verified = verify(locate());
        }
        return verified;
    }

    private static Path locate() {
        // Class.getResource: found in this (possibly named, patched) module whatever the package encapsulation.
        URL url = SharedVectors.class.getResource(ROOT + MANIFEST);
        if (url == null) {
            fail("test vectors missing from the class path: " + ROOT + MANIFEST
                    + " not found (expected in audit-core/src/test/resources/vectors)");
        }
        if (!"file".equals(url.getProtocol())) {
            fail("test vectors must be a directory on the class path, got " + url);
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url.toString(), e);
        }
    }

    /**
     * Checks {@code dir} against its {@code SHA256SUMS} (lines {@code <hex>  <relative path>}), failing with every
     * missing, changed and unlisted file named.
     */
    static Path verify(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            fail("test vector manifest missing: " + manifest);
        }
        Map<String, String> expected = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                int sep = line.indexOf("  ");
                if (sep != 64) {
                    fail(manifest + ": malformed line (want '<sha256 hex>  <path>'): " + line);
                }
                expected.put(line.substring(sep + 2), line.substring(0, sep));
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file)) {
                    problems.add("missing: " + e.getKey());
                } else if (!sha256(file).equals(e.getValue())) {
                    problems.add("changed: " + e.getKey());
                }
            }
            List<String> present;
            try (Stream<Path> walk = Files.walk(dir)) {
                present = walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                        .filter(p -> !p.equals(MANIFEST) && !p.equals(README)).sorted().collect(Collectors.toList());
            }
            for (String p : present) {
                if (!expected.containsKey(p)) {
                    problems.add("unlisted: " + p);
                }
            }
            if (expected.isEmpty()) {
                problems.add("the manifest lists no file");
            }
            if (!problems.isEmpty()) {
                fail("test vectors in " + dir + " do not match " + MANIFEST + " (" + problems.size()
                        + " problem(s)):\n  " + String.join("\n  ", problems));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir.toString(), e);
        }
        return dir;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
