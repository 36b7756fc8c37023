package dev.auditlog.kafka;

import dev.auditlog.teststore.FixtureStore;

/** Fixture for {@code RulesCatchViolationsTest}: a (future) sink using another sink, both ways (a cycle). */
public final class FixtureKafkaSink {
    final FixtureStore store = new FixtureStore();
}
