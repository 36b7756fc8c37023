package dev.auditlog.cli;

import dev.auditlog.jdbc.Dialect;
import dev.auditlog.jdbc.JdbcSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "schema", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  auditlog schema --dialect postgresql > auditlog.sql",
                "  auditlog schema --dialect mariadb --prefix app_audit_"},
        description = "Print the DDL of the JDBC sink's tables and triggers, for a DBA.")
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dialect", required = true, description = "postgresql, mariadb or h2 (any case).")
    String dialect;

    @Option(names = "--prefix", defaultValue = JdbcSchema.DEFAULT_PREFIX, description = "Table name prefix"
            + " (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Override
    public Integer call() {
        Dialect d;
        try {
            d = Dialect.valueOf(dialect.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--dialect must be postgresql, mariadb or h2, was \"" + dialect + "\"");
        }
        spec.commandLine().getOut().print(JdbcSchema.ddl(d, prefix));
        spec.commandLine().getOut().flush();
        return Main.VALID;
    }
}
