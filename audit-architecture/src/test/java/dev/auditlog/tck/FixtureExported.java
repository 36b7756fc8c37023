package dev.auditlog.tck;

import dev.auditlog.tck.internal.FixtureHidden;

/** Fixture for {@code RulesCatchViolationsTest}: an exported package using an internal one. */
public final class FixtureExported {
    final FixtureHidden hidden = new FixtureHidden();
}
