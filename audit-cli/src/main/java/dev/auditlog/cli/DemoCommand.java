package dev.auditlog.cli;

import dev.auditlog.Actor;
import dev.auditlog.AuditActions;
import dev.auditlog.AuditEvent;
import dev.auditlog.AuditLog;
import dev.auditlog.Category;
import dev.auditlog.Channel;
import dev.auditlog.Outcome;
import dev.auditlog.Severity;
import dev.auditlog.Target;
import dev.auditlog.file.FileAuditReader;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.integrity.LogVerifier;
import dev.auditlog.protect.AlertResponse;
import dev.auditlog.GuardDecision;
import dev.auditlog.protect.GuardRules;
import dev.auditlog.protect.Protection;
import dev.auditlog.protect.Rules;
import dev.auditlog.integrity.Ed25519Keys;
import dev.auditlog.integrity.Finding;
import dev.auditlog.integrity.SigningKey;
import dev.auditlog.integrity.VerificationReport;
import dev.auditlog.spi.CheckpointAnchor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog demo", "  auditlog demo --dir /tmp/auditlog-demo"},
        description = "Record a realistic stream into a signed, checkpointed file log, verify it,"
        + " then tamper with copies and show the verifier catching it.")
final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".auditlog-demo";
    private static final String LOG = "demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", defaultValue = "auditlog-demo", description = "Where to put the demo (default:"
            + " ${DEFAULT-VALUE}; a previous demo there is replaced).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        prepare();
        Path logs = dir.resolve("logs");
        Path anchor = dir.resolve("anchor");
        SigningKey key = Ed25519Keys.generate("auditlog/" + LOG);
        Ed25519Keys.writeSigningKey(dir.resolve("keys/auditlog.key"), key);
        Ed25519Keys.writeVerifierKey(dir.resolve("keys/auditlog.pub"), key.verifierKey());

        try (AuditLog log = AuditLog.builder().singleChain().logId(LOG)
                .sink(FileAuditSink.builder(logs).build())
                .checkpoints(key).checkpointEvery(50, Duration.ofSeconds(5))
                .anchor(CheckpointAnchor.directory(anchor))
                .strict(true)
                .shutdownHook(false)
                .intercept(Protection.builder()
                        .rule(Rules.threshold("login-burst").action(AuditActions.AUTHN_LOGIN_FAIL).count(5)
                                .within(Duration.ofMinutes(1)).severity(Severity.ERROR)
                                .respond(AlertResponse.lockKey(Duration.ofMinutes(15))).build())
                        .rule(Rules.privilegeChanges("privilege-change").build())
                        .guardRule(GuardRules.lockedOut())
                        .build())
                .build()) {
            for (int i = 0; i < 60; i++) {
                log.record(Events.synthetic(i));
            }
            for (int i = 0; i < 6; i++) { // a burst of failed logins from one address
                log.record(Events.login("carol", "203.0.113.66", false));
            }
            log.flush(); // also waits for the detection rules and the alerts they record
            GuardDecision next = log.guard(Events.login("carol", "203.0.113.66", true));
            out.printf("Failed-login burst for carol: alert recorded, carol locked out; her next login is %s (%s)%n",
                    next.allowed() ? "ALLOWED" : "DENIED", next.reason().orElse(""));
            log.record(AuditEvent.builder().action(AuditActions.PRIVILEGE_PERMISSIONS_CHANGED)
                    .category(Category.ACCOUNT_CHANGE).severity(Severity.NOTICE)
                    .actor(Actor.user("admin")).target(Target.of("account", "bob"))
                    .outcome(Outcome.success()).origin(Events.origin("192.0.2.10", Channel.UI))
                    .attribute("role.added", "billing-admin").build());
            log.record(AuditEvent.builder().action("report.export").category(Category.DATA_ACCESS)
                    .severity(Severity.NOTICE).actor(Actor.user("bob")).target(Target.of("report", "customers"))
                    .outcome(Outcome.success()).origin(Events.origin("198.51.100.7", Channel.API))
                    .attribute("rows", 12000).attribute("format", "csv").build());
            for (int i = 60; i < 120; i++) {
                log.record(Events.synthetic(i));
            }
        }
        out.println("Recorded logins, a failed-login burst, an admin change and a data export, with the alert and guard"
                + " decision they caused, into a hash-chained, checkpointed file log.");

        VerificationReport clean = verify(logs, key, anchor);
        out.printf("verify logs:        %s — %d records, %d signed checkpoints, anchored size %d%n",
                verdict(clean), clean.records(), clean.checkpoints(), clean.anchoredSize());

        Path edited = copy(logs, dir.resolve("tampered-edit"));
        Path segment = lastSegment(edited);
        String text = Files.readString(segment, StandardCharsets.UTF_8);
        if (!text.contains("\"rows\":12000")) {
            throw new IOException("demo: the export record was not found in " + segment);
        }
        Files.writeString(segment, text.replace("\"rows\":12000", "\"rows\":12"), StandardCharsets.UTF_8);
        VerificationReport afterEdit = verify(edited, key, anchor);
        out.printf("verify tampered-edit (export of 12000 rows rewritten as 12): %s%n", verdict(afterEdit));
        print(out, afterEdit);

        Path cut = copy(logs, dir.resolve("tampered-truncated"));
        Path last = lastSegment(cut);
        List<String> lines = Files.readAllLines(last, StandardCharsets.UTF_8);
        Files.write(last, lines.subList(0, lines.size() - 3), StandardCharsets.UTF_8);
        VerificationReport afterCut = verify(cut, key, anchor);
        out.printf("verify tampered-truncated (last 3 records cut off): %s%n", verdict(afterCut));
        print(out, afterCut);

        out.printf("%nFiles: %s%n  logs/                the log (JSON Lines segments; try: jq . %s)%n"
                        + "  keys/auditlog.pub    the public key to verify with%n"
                        + "  anchor/              the latest signed checkpoint, kept off the log%n"
                        + "  tampered-*/          the altered copies%n"
                        + "Verify yourself: %s verify %s --public-key %s --anchor %s%n",
                abs(dir), abs(logs.resolve(LOG).resolve("*.jsonl")), command(), abs(logs),
                abs(dir.resolve("keys/auditlog.pub")), abs(anchor));
        boolean caught = !afterEdit.isValid() && !afterCut.isValid() && clean.isValid();
        out.println(caught ? "The verifier accepted the original and caught both tampered copies."
                : "UNEXPECTED: the verifier did not behave as the demo expects.");
        return caught ? Main.VALID : Main.INVALID;
    }

    /** The path as an absolute one, so that the lines printed work from any directory. */
    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /**
     * How to run this command again from any directory: {@code java -jar} with the absolute path of the jar it was
     * run from, or {@code java -jar auditlog.jar} when it was not run from a jar (or the path has a space, which the
     * line would need quoted).
     */
    static String command() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (p.getFileName() != null && p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)
                    && !p.toString().contains(" ")) {
                return "java -jar " + p.toAbsolutePath();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source to tell: the generic line below
        }
        return "java -jar auditlog.jar";
    }

    private static String verdict(VerificationReport r) {
        return r.isValid() ? (r.hasWarnings() ? "VALID with warnings" : "VALID")
                : "INVALID, first bad record " + r.firstFinding().map(f -> f.sequence() + " (" + f.kind() + ")")
                .orElse("?");
    }

    private static void print(PrintWriter out, VerificationReport r) {
        r.findings().stream().limit(3).forEach(f -> out.printf("    %s %s seq=%d: %s%n", f.kind(),
                f.location().isEmpty() ? "-" : f.location(), f.sequence(), f.message()));
    }

    private VerificationReport verify(Path logs, SigningKey key, Path anchor) throws IOException {
        try (FileAuditReader reader = FileAuditReader.open(logs)) {
            return LogVerifier.builder(key.verifierKey()).anchor(CheckpointAnchor.directory(anchor)).build()
                    .verify(reader, LOG);
        }
    }

    private void prepare() throws IOException {
        if (Files.exists(dir)) {
            if (!Files.exists(dir.resolve(MARKER))) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new IOException(dir + " exists and is not a previous demo: choose another --dir");
                    }
                }
            }
            deleteTree(dir);
        }
        dev.auditlog.spi.PrivateFiles.createDirectories(dir.resolve("keys")); // 0700, and the demo dir too
        Files.createFile(dir.resolve(MARKER));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(".lock")) {
                    Files.copy(p, target);
                    target.toFile().setWritable(true, true);
                }
            }
        }
        return to;
    }

    private static Path lastSegment(Path logs) throws IOException {
        try (Stream<Path> s = Files.list(logs.resolve(LOG))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no segment in " + logs));
        }
    }
}
