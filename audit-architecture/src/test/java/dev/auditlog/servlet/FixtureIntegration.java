package dev.auditlog.servlet;

import dev.auditlog.internal.fixture.FixtureCore;
import dev.auditlog.teststore.FixtureStore;

/** Breaks "integrations use only the public API": it reaches into the engine and into a sink. */
public class FixtureIntegration {
    FixtureCore engine;
    FixtureStore store;
}
