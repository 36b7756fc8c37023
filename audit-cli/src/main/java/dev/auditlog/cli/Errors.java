package dev.auditlog.cli;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one line a failed command prints on stderr: what was wrong, with which value, and what to do. Never a Java
 * exception's class name or stack trace.
 */
final class Errors {
    private Errors() {
    }

    /**
     * A usage error (exit code 3): {@code auditlog verify: <what>. See 'auditlog verify --help'.}, naming the command
     * the error is about.
     */
    static String usage(ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (spec.helpCommand() && spec.parent() != null) {
            spec = spec.parent(); // "auditlog help nosuch": the help the user wants is the parent's
        }
        String name = spec.qualifiedName();
        return name + ": " + sentence(what(ex)) + " See '" + name + " --help'.";
    }

    private static String what(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException u) {
            return unmatched(u);
        }
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex.getArgSpec() == null && !spec.subcommands().isEmpty() && ex.getMessage() != null
                && ex.getMessage().startsWith("Missing required subcommand")) {
            return "name a command: " + String.join(", ", visibleSubcommands(spec));
        }
        ArgSpec arg = ex.getArgSpec();
        Throwable cause = ex.getCause();
        if (arg != null && ex.getValue() != null && cause != null) { // a value that did not convert
            String value = "\"" + ex.getValue() + "\""; // a value that does not convert is no store URL
            String problem;
            if (cause instanceof TypeConversionException && !arg.type().isEnum()
                    && cause.getMessage() != null && cause.getMessage().contains(value)) {
                problem = cause.getMessage(); // ours, from Converters
            } else if (arg.type().isEnum()) {
                problem = value + " is not one of " + Arrays.stream(arg.type().getEnumConstants())
                        .map(Object::toString).collect(Collectors.joining(", ")) + " (in any case)";
            } else {
                problem = value + " is not " + article(typeName(arg.type()));
            }
            return name(arg) + ": " + problem;
        }
        return ex.getMessage();
    }

    private static String unmatched(UnmatchedArgumentException u) {
        List<String> args = u.getUnmatched();
        List<String> suggestions = u.getSuggestions();
        String hint = suggestions.isEmpty() ? "" : "; did you mean " + suggestions.get(0) + "?"; // the nearest
        CommandSpec spec = u.getCommandLine().getCommandSpec();
        if (!args.isEmpty() && !args.get(0).startsWith("-") && !spec.subcommands().isEmpty()
                && spec.positionalParameters().isEmpty()) {
            return "unknown command \"" + Stores.redact(args.get(0)) + "\"" + (suggestions.isEmpty()
                    ? " (commands: " + String.join(", ", visibleSubcommands(spec)) + ")" : hint);
        }
        if (!args.isEmpty() && args.get(0).startsWith("-")) {
            return "unknown option \"" + Stores.redact(args.get(0)) + "\"" + hint;
        }
        // A stray argument may be a second store URL, with a password in it.
        return "unexpected argument" + (args.size() > 1 ? "s" : "") + " " + args.stream()
                .map(a -> "\"" + Stores.redact(a) + "\"")
                .collect(Collectors.joining(" ")) + hint;
    }

    private static List<String> visibleSubcommands(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.subcommands().forEach((n, c) -> {
            if (!c.getCommandSpec().usageMessage().hidden() && n.equals(c.getCommandName())) {
                names.add(n);
            }
        });
        return names;
    }

    /** An error while a command ran (exit code 3): its message, or for a file, which file and why. */
    static String describe(Throwable ex, ParseResult parsed) {
        Throwable t = ex instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
        if (t instanceof FileSystemException fs && fs.getFile() != null) {
            return file(fs, parsed);
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return "unexpected internal error (" + t.getClass().getSimpleName().replaceFirst("(Exception|Error)$", "")
                    + ", no message); please report it";
        }
        return m;
    }

    private static String file(FileSystemException fs, ParseResult parsed) {
        String reason;
        if (fs instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (fs instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (fs instanceof FileAlreadyExistsException) {
            reason = fs.getReason() != null ? "already exists; " + fs.getReason() : "already exists";
        } else if (fs instanceof NotDirectoryException) {
            reason = "not a directory";
        } else if (fs instanceof DirectoryNotEmptyException) {
            reason = "directory not empty";
        } else {
            reason = fs.getReason() != null ? fs.getReason().toLowerCase(Locale.ROOT) : "cannot access it";
        }
        String option = optionFor(fs.getFile(), parsed);
        return fs.getFile() + (option != null ? " (" + option + ")" : "") + ": " + reason;
    }

    /** The option or parameter whose value is this file, or a directory holding it. */
    private static String optionFor(String file, ParseResult parsed) {
        Path p;
        try {
            p = Path.of(file);
        } catch (RuntimeException e) {
            return null;
        }
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            List<ArgSpec> args = new ArrayList<>(r.matchedOptions());
            args.addAll(r.matchedPositionals());
            for (ArgSpec a : args) {
                Object v = a.getValue();
                for (Object one : v instanceof Collection<?> c ? c : List.of(v == null ? "" : v)) {
                    try {
                        Path given = Path.of(one.toString());
                        if (!one.toString().isEmpty() && (p.equals(given) || p.startsWith(given))) {
                            return name(a);
                        }
                    } catch (RuntimeException e) {
                        // not a path
                    }
                }
            }
        }
        return null;
    }

    private static String name(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            return o.longestName();
        }
        return ((PositionalParamSpec) arg).paramLabel();
    }

    private static String typeName(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "number";
        }
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String sentence(String s) {
        return s.endsWith(".") || s.endsWith("?") ? s : s + ".";
    }
}
