package dev.auditlog.cli;

import dev.auditlog.AuditLog;
import dev.auditlog.AuditQueryable;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the store a command names through the {@link AuditSinkProvider}s on the class path ({@link ServiceLoader}):
 * {@code file:DIR}, {@code jdbc:URL}, or {@code <scheme>:...} for any store module present. The command knows no
 * store by name; what a store cannot do, it says in one line (exit code 3).
 */
final class Stores {
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):.*", Pattern.DOTALL);
    private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

    private Stores() {
    }

    /** A store a command works on: the provider serving its scheme, and the spec as given. */
    record Store(AuditSinkProvider provider, String spec) {

        /** The spec for messages: no query string, properties or user info, which may hold a password. */
        String display() {
            return redact(spec);
        }

        /** A reader that never creates, locks or changes the store: see {@link #readOnly(String)}. */
        AuditReader reader() {
            return provider.reader(readOnly(spec)).orElseThrow(
                    () -> unsupported("reading back (verify, tail, prove)"));
        }

        AuditSink sink() {
            return provider.create(spec);
        }

        Function<AuditLog, AuditQueryable> queryable() {
            // The query's own audit record is written to the same database, so it is opened for writing; the command
            // has checked that the log exists (through reader()) before anything is written.
            return provider.queryable(h2(spec, "IFEXISTS", "TRUE")).orElseThrow(() -> unsupported("query"));
        }

        private UnsupportedOperationException unsupported(String what) {
            return new UnsupportedOperationException("store " + display() + " (scheme " + provider.scheme()
                    + ") does not support " + what);
        }
    }

    /**
     * The store named by exactly one of: a store URI, a directory ({@code --dir}, same as {@code file:DIR}), or a
     * JDBC URL ({@code --jdbc}). A URI without a scheme is a directory.
     *
     * @throws IllegalArgumentException when none or several are given, or no provider serves the scheme
     */
    static Store resolve(String uri, Path dir, String jdbc) {
        int given = (uri != null ? 1 : 0) + (dir != null ? 1 : 0) + (jdbc != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("name the store once: STORE (file:DIR, jdbc:URL or <scheme>:...),"
                    + " --dir DIR or --jdbc URL; " + (given == 0 ? "none was given" : given + " were given"));
        }
        if (dir != null) {
            return resolve("file:" + dir);
        }
        return resolve(uri != null ? uri : jdbc);
    }

    /** The store for one URI. */
    static Store resolve(String uri) {
        Matcher m = SCHEME.matcher(uri);
        if (!m.matches()) {
            return resolve("file:" + uri);
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (AuditSinkProvider p : providers(found)) {
            if (p.scheme().equals(scheme)) {
                return new Store(p, uri);
            }
        }
        throw new IllegalArgumentException("no store for scheme \"" + scheme + "\" in " + redact(uri)
                + " (schemes on the class path: " + String.join(", ", new TreeSet<>(found)) + "); add the store's"
                + " module to the class path, or write file:PATH for a directory");
    }

    /** The providers that load; one that fails to load is left out, so that one bad module does not stop the rest. */
    private static List<AuditSinkProvider> providers(List<String> schemes) {
        List<AuditSinkProvider> out = loadAll(AuditSinkProvider.class);
        out.forEach(p -> schemes.add(p.scheme()));
        return out;
    }

    /** The providers of a service that load; one that fails to load is left out, so it cannot hide the rest. */
    private static <S> List<S> loadAll(Class<S> service) {
        List<S> out = new ArrayList<>();
        Iterator<S> it = ServiceLoader.load(service, Stores.class.getClassLoader()).iterator();
        for (int errors = 0; errors < 100; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                errors++; // a broken provider's scheme is then reported as unknown
            }
        }
        return out;
    }

    /**
     * The spec to read a store with, so that reading never creates, locks for writing or changes it: an H2 URL other
     * than {@code jdbc:h2:mem:} gets {@code ;IFEXISTS=TRUE} (H2 otherwise creates an empty database,
     * {@code NAME.mv.db} and {@code NAME.trace.db}, for a path that does not exist) and {@code ;ACCESS_MODE_DATA=r}
     * (H2 otherwise rewrites the file when it closes it). A setting the URL already has is left as it is. Other specs
     * are returned unchanged. An H2 server ({@code jdbc:h2:tcp:}, {@code jdbc:h2:ssl:}) gets no
     * {@code ACCESS_MODE_DATA}: the server opens the database once for every client, so a read-only open would make
     * the writing applications' inserts fail while the command runs.
     */
    static String readOnly(String spec) {
        String exists = h2(spec, "IFEXISTS", "TRUE");
        String lower = spec.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:h2:tcp:") || lower.startsWith("jdbc:h2:ssl:") ? exists
                : h2(exists, "ACCESS_MODE_DATA", "r");
    }

    /** The spec with {@code ;NAME=VALUE} appended when it is an H2 URL, not in memory, without that setting. */
    private static String h2(String spec, String name, String value) {
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:")
                && !lower.contains(";" + name.toLowerCase(Locale.ROOT) + "=")) {
            return spec + ";" + name + "=" + value;
        }
        return spec;
    }

    /**
     * Keeps the database drivers' own logging (through slf4j-simple) to errors, unless {@code --verbose} was given:
     * the MariaDB driver, for one, logs a WARN line for every error the server returns, which the command already
     * reports in its own words. Must run before a driver creates its loggers; a level set with {@code -D} wins. The
     * PostgreSQL driver logs through java.util.logging instead: its logger is kept at SEVERE the same way. The Kafka
     * clients (kafka:// stores, collect) log every client's whole configuration at INFO: kept to errors too.
     */
    static void quietDrivers(boolean verbose) {
        PGJDBC_LOGGER.setLevel(verbose ? null : Level.SEVERE);
        for (String pkg : new String[] {"org.mariadb.jdbc", "org.postgresql", "org.h2", "org.apache.kafka"}) {
            String key = "org.slf4j.simpleLogger.log." + pkg;
            if (verbose) {
                if (QUIETED.equals(System.getProperty(key))) {
                    System.clearProperty(key);
                }
            } else if (System.getProperty(key) == null) {
                System.setProperty(key, QUIETED);
            }
        }
    }

    private static final String QUIETED = "error";
    /** Held, so that the level set on it is not lost when java.util.logging lets go of an unreferenced logger. */
    private static final Logger PGJDBC_LOGGER = Logger.getLogger("org.postgresql");

    static String redact(String spec) {
        String s = spec;
        int cut = s.length();
        for (char c : new char[] {'?', ';'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        s = s.substring(0, cut) + (cut < spec.length() ? "?…" : "");
        return USER_INFO.matcher(s).replaceFirst("//…@");
    }
}
