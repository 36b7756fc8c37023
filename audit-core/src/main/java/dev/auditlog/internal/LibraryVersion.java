package dev.auditlog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The library's version, from the build (a filtered resource), written into every {@code audit.log.started}. */
public final class LibraryVersion {
    private static final String VERSION = load();

    private LibraryVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/auditlog/internal/version.properties is missing from the jar");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isEmpty() || v.startsWith("${")) {
                throw new IllegalStateException("version.properties has no filtered version: " + v);
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
