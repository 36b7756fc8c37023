package dev.auditlog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The library's version, from the build: {@code version.properties} beside this class is filtered by Maven with
 * {@code ${project.version}}. Read once; a missing, unfiltered or empty file is an error, never a made-up version.
 */
public final class LibraryVersion {

    static final String RESOURCE = "version.properties";

    private static final String VERSION = load();

    private LibraryVersion() {
    }

    /** The version of audit-core, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("dev/auditlog/internal/" + RESOURCE
                        + " is missing from audit-core: the library version cannot be known (a broken build?)");
            }
            Properties p = new Properties();
            p.load(in);
            return check(p.getProperty("version"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/auditlog/internal/" + RESOURCE, e);
        }
    }

    static String check(String version) {
        if (version == null || version.isBlank() || version.contains("${")) {
            throw new IllegalStateException("dev/auditlog/internal/" + RESOURCE
                    + " has no filtered version (version=" + version + "): Maven resource filtering did not run");
        }
        return version.strip();
    }
}
