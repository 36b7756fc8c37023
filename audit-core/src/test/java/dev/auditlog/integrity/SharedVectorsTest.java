package dev.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vectors come from the class path, complete; a missing, changed or extra file is a failure, not a skip. */
class SharedVectorsTest {

    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void classPathVectorsAreCompleteWithSourceNotesAndLicence() throws IOException {
        Path dir = SharedVectors.vectors();
        assertThat(dir.resolve("rfc6962-merkle/LICENSE")).isRegularFile();
        assertThat(dir.resolve("rfc6962-merkle/SOURCE.md")).isRegularFile();
        assertThat(dir.resolve("signatures/README.md")).isRegularFile();
        assertThat(dir.resolve("signatures/SOURCE.md")).isRegularFile();
        try (Stream<Path> walk = Files.walk(dir.resolve("rfc6962-merkle"))) {
            assertThat(walk.filter(p -> p.toString().endsWith(".json")).count())
                    .isEqualTo(MerkleVectorTest.EXPECTED_PROBES);
        }
    }

    @Test
    void missingFileFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(SharedVectors.MANIFEST), HELLO_SHA256 + "  a/hello.txt\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SharedVectors.verify(dir)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("missing: a/hello.txt");
    }

    @Test
    void changedAndUnlistedFilesFail(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(SharedVectors.MANIFEST), HELLO_SHA256 + "  hello.txt\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("hello.txt"), "hellO", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("extra.json"), "{}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SharedVectors.verify(dir)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("changed: hello.txt").hasMessageContaining("unlisted: extra.json");
    }

    @Test
    void matchingDirectoryPasses(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(SharedVectors.MANIFEST), HELLO_SHA256 + "  hello.txt\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("hello.txt"), "hello", StandardCharsets.UTF_8);
        assertThat(SharedVectors.verify(dir)).isEqualTo(dir);
    }
}
