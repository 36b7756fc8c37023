package dev.auditlog.internal;

import dev.auditlog.spi.SafeText;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Resolves sink spec strings through the {@link AuditSinkProvider}s that {@link ServiceLoader} finds. */
public final class SinkSpecs {
    private SinkSpecs() {
    }

    public static AuditSink create(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("sink spec must look like <scheme>:<details>, for example memory: or"
                    + " file:./audit, was " + SafeText.describe(spec));
        }
        String scheme = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (AuditSinkProvider p : ServiceLoader.load(AuditSinkProvider.class, SinkSpecs.class.getClassLoader())) {
            if (p.scheme().equals(scheme)) {
                return p.create(spec);
            }
            found.add(p.scheme());
        }
        // Providers on the application's class path are also worth a look when the library is in a parent loader.
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != SinkSpecs.class.getClassLoader()) {
            for (AuditSinkProvider p : ServiceLoader.load(AuditSinkProvider.class, context)) {
                if (p.scheme().equals(scheme)) {
                    return p.create(spec);
                }
                if (!found.contains(p.scheme())) {
                    found.add(p.scheme());
                }
            }
        }
        throw new IllegalArgumentException("no AuditSinkProvider for scheme \"" + scheme + "\" (spec "
                + SafeText.describe(spec) + "); providers found: " + found
                + ". Add the sink module (for example audit-file for file:) to the class path or module path.");
    }
}
