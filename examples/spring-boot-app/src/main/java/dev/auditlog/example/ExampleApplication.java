package dev.auditlog.example;

import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.SigningKey;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.ApplicationPidFileWriter;
import org.springframework.boot.web.context.WebServerPortFileWriter;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A shop back end with the auditlog starter: see the README's "Spring Boot" section and {@code demo.sh}. Everything
 * it writes goes under {@code example.dir} (default {@code ${java.io.tmpdir}/auditlog-example}).
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(System.getProperty("example.dir", argument(args, "--example.dir=",
                Path.of(System.getProperty("java.io.tmpdir"), "auditlog-example").toString())));
        makeKeyPair(dir.resolve("keys"));
        SpringApplication app = new SpringApplication(ExampleApplication.class);
        app.setDefaultProperties(java.util.Map.of("example.dir", dir.toString()));
        // So that a script (and .ci/run) can find the random port and stop this process.
        app.addListeners(new WebServerPortFileWriter(dir.resolve("application.port").toFile()),
                new ApplicationPidFileWriter(new File(dir.toFile(), "application.pid")));
        app.run(args);
    }

    /**
     * Demo convenience: a signing key pair on first start. A real deployment makes it once with
     * {@code auditlog keygen --out DIR} and keeps the private key away from the log's storage.
     */
    private static void makeKeyPair(Path keys) throws IOException {
        Path key = keys.resolve("auditlog.key");
        if (Files.exists(key)) {
            return;
        }
        Files.createDirectories(keys);
        SigningKey k = Ed25519Keys.generate("auditlog-example");
        Ed25519Keys.writeSigningKey(key, k); // 0600
        Ed25519Keys.writeVerifierKey(keys.resolve("auditlog.pub"), k.verifierKey());
    }

    private static String argument(String[] args, String prefix, String otherwise) {
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
