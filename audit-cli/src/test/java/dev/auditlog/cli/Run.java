package dev.auditlog.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One run of the real {@code auditlog} entry point, as the CLI tests drive it: exit code, stdout, stderr. */
record Run(int exit, String out, String err) {

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    /** The lines of stdout. */
    List<String> lines() {
        return out.lines().toList();
    }

    /** The one line a failed command prints; fails if stdout is not empty or stderr is not exactly one line. */
    String errorLine() {
        assertThat(exit).as(err).isEqualTo(3);
        assertThat(out).as("stdout of a failed command").isEmpty();
        assertThat(err.lines().toList()).as("stderr").hasSize(1);
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        return err.strip();
    }
}
