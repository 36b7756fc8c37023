package dev.auditlog.file.internal;

import dev.auditlog.file.Durability;
import dev.auditlog.file.FileAuditReader;
import dev.auditlog.file.FileAuditSink;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code file:<directory>[?option=value&...]}, options {@code durability} (group_commit, every_record, interval,
 * none), {@code segmentSize} (bytes), {@code segmentAge} and {@code forceInterval} (ISO-8601 durations such as
 * {@code PT1H}), {@code groupReadable} (true or false). Offers a {@link FileAuditReader} over the directory (the
 * options only matter to a sink; they are checked all the same) and retention ({@link FileAuditSink#prune}).
 */
public final class FileAuditSinkProvider implements AuditSinkProvider {

    /** For {@link java.util.ServiceLoader}. */
    public FileAuditSinkProvider() {
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public AuditSink create(String spec) {
        return builder(spec).build();
    }

    @Override
    public Optional<AuditReader> reader(String spec) {
        return Optional.of(FileAuditReader.open(builder(spec).build().directory()));
    }

    private static FileAuditSink.Builder builder(String spec) {
        if (!spec.regionMatches(true, 0, "file:", 0, 5)) {
            throw new IllegalArgumentException("file sink spec must start with \"file:\", was \"" + spec + "\"");
        }
        String rest = spec.substring(5);
        int q = rest.indexOf('?');
        String dir = q < 0 ? rest : rest.substring(0, q);
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("file sink spec \"" + spec + "\" names no directory: expected"
                    + " file:<directory>[?option=value&...], for example file:./audit");
        }
        Path path;
        try {
            path = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("file sink spec \"" + spec + "\": not a valid directory path: " + dir, e);
        }
        FileAuditSink.Builder b = FileAuditSink.builder(path);
        if (q >= 0) {
            Set<String> seen = new HashSet<>();
            for (String option : rest.substring(q + 1).split("&", -1)) {
                int eq = option.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("file sink spec \"" + spec + "\": option \"" + option
                            + "\" must look like name=value");
                }
                String name = option.substring(0, eq);
                String value = option.substring(eq + 1);
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("file sink spec \"" + spec + "\": option " + name
                            + " given twice");
                }
                apply(b, spec, name, value);
            }
        }
        return b;
    }

    private static void apply(FileAuditSink.Builder b, String spec, String name, String value) {
        try {
            switch (name) {
                case "durability" -> {
                    Durability d;
                    try {
                        d = Durability.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw bad(spec, name, "must be one of group_commit, every_record, interval, none", value);
                    }
                    b.durability(d);
                }
                case "segmentSize" -> {
                    long bytes;
                    try {
                        bytes = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw bad(spec, name, "must be a number of bytes >= " + FileAuditSink.Builder.MIN_SEGMENT_SIZE,
                                value);
                    }
                    b.segmentSize(bytes);
                }
                case "segmentAge" -> b.segmentAge(duration(spec, name, value));
                case "forceInterval" -> b.forceInterval(duration(spec, name, value));
                case "groupReadable" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw bad(spec, name, "must be true or false", value);
                    }
                    b.groupReadable(Boolean.parseBoolean(value));
                }
                default -> throw new IllegalArgumentException("file sink spec \"" + spec + "\": unknown option \""
                        + name + "\" (known: durability, segmentSize, segmentAge, forceInterval, groupReadable)");
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("file sink spec")) {
                throw e;
            }
            throw bad(spec, name, e.getMessage(), value);
        }
    }

    private static Duration duration(String spec, String name, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw bad(spec, name, "must be a positive ISO-8601 duration such as PT1H or P1D", value);
        }
    }

    private static IllegalArgumentException bad(String spec, String name, String rule, String value) {
        return new IllegalArgumentException("file sink spec \"" + spec + "\": option " + name + " " + rule
                + ", was \"" + value + "\"");
    }
}
