package dev.auditlog.tck.internal;

/** Fixture for {@code RulesCatchViolationsTest}: an internal class. */
public final class FixtureHidden {
}
