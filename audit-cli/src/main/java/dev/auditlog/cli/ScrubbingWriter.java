package dev.auditlog.cli;

import dev.auditlog.spi.Scrubber;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the CLI prints, line by line through {@link Scrubber}, masking the secrets of the connection strings
 * given on the command line wherever a driver or a message repeats them ({@code --jdbc
 * 'jdbc:mariadb://root:pw@host/x'} never prints {@code pw}).
 */
final class ScrubbingWriter extends Writer {
    private final Writer out;
    private final List<String> secrets;
    private final boolean patterns;
    private final StringBuilder line = new StringBuilder();

    /**
     * @param patterns also the scrubber's patterns (user info, password parameters, tokens): for messages, not for
     *                 stdout, where records are printed as they are stored
     */
    ScrubbingWriter(Writer out, List<String> secrets, boolean patterns) {
        this.out = out;
        this.secrets = secrets;
        this.patterns = patterns;
    }

    /** The secrets of every argument that holds a connection string or a password-like parameter. */
    static List<String> secretsOf(String[] args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.addAll(Scrubber.secretsOf(a));
        }
        out.sort((a, b) -> b.length() - a.length());
        return out;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            line.append(buf[i]);
            if (buf[i] == '\n') {
                emit();
            }
        }
    }

    private void emit() throws IOException {
        if (line.length() > 0) {
            String text = line.toString();
            if (patterns) {
                text = Scrubber.scrub(text, secrets);
            } else {
                for (String secret : secrets) {
                    if (secret.length() >= 3) {
                        text = text.replace(secret, Scrubber.MASK);
                    }
                }
            }
            out.write(text);
            line.setLength(0);
        }
    }

    @Override
    public void flush() throws IOException {
        emit();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
