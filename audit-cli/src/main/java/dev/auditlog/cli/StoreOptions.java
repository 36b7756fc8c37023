package dev.auditlog.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** Which store a command reads: a store URI, or the {@code --dir} / {@code --jdbc} shorthands. */
final class StoreOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STORE", description = "The store: file:DIR, jdbc:URL,"
            + " or <scheme>:... for any store module on the class path; a plain path is a directory (file:).")
    String uri;

    @Option(names = "--dir", description = "Directory of a file log: the same as file:DIR.")
    Path dir;

    @Option(names = "--jdbc", description = "JDBC URL of a database log: the same as giving the URL as STORE.")
    String jdbc;

    Stores.Store store() {
        return Stores.resolve(uri, dir, jdbc);
    }
}
