package dev.auditlog.teststore;

import dev.auditlog.kafka.FixtureKafkaSink;

/** Fixture for {@code RulesCatchViolationsTest}: a test-only store that uses another sink (a cycle with it). */
public final class FixtureStore {
    FixtureKafkaSink kafka() {
        return null;
    }
}
