package dev.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NullArgumentsTest {

    static Arguments npe(String argument, ThrowingCallable call) {
        return Arguments.of(argument, call);
    }

    static Stream<Arguments> nullCalls() {
        AuditEvent.Builder b = AuditEvent.builder();
        return Stream.of(
                npe("limits", () -> AuditEvent.builder(null)),
                npe("eventId", () -> b.eventId(null)),
                npe("occurredAt", () -> b.occurredAt(null)),
                npe("action", () -> b.action(null)),
                npe("category", () -> b.category(null)),
                npe("severity", () -> b.severity(null)),
                npe("actor", () -> b.actor(null)),
                npe("target", () -> b.target((Target) null)),
                npe("type", () -> b.target(null, "1")),
                npe("id", () -> b.target("doc", null)),
                npe("targets", () -> b.targets((Collection<Target>) null)),
                npe("targets element", () -> b.targets(java.util.Arrays.asList(Target.of("d", "1"), null))),
                npe("outcome", () -> b.outcome(null)),
                npe("origin", () -> b.origin(null)),
                npe("traceId", () -> b.traceId(null)),
                npe("spanId", () -> b.spanId(null)),
                npe("requestId", () -> b.requestId(null)),
                npe("correlationId", () -> b.correlationId(null)),
                npe("tenantId", () -> b.tenantId(null)),
                npe("message", () -> b.message(null)),
                npe("name", () -> b.attribute(null, "v")),
                npe("name", () -> b.attribute(null, 1L)),
                npe("name", () -> b.attribute(null, true)),
                npe("value", () -> b.attribute("a", (String) null)),
                npe("value", () -> b.attribute("a", (List<?>) null)),
                npe("value", () -> b.attribute("a", (Map<String, ?>) null)),
                npe("id", () -> Actor.user(null)),
                npe("id", () -> Actor.service(null)),
                npe("id", () -> Actor.system(null)),
                npe("id", () -> Actor.builder(null, ActorType.USER)),
                npe("type", () -> Actor.builder("u", null)),
                npe("displayName", () -> Actor.builder().displayName(null)),
                npe("sessionId", () -> Actor.builder().sessionId(null)),
                npe("onBehalfOf", () -> Actor.builder().onBehalfOf(null)),
                npe("type", () -> Target.of(null, "1")),
                npe("id", () -> Target.of("doc", null)),
                npe("name", () -> Target.of("doc", "1", null)),
                npe("reasonCode", () -> Outcome.failure(null)),
                npe("reasonCode", () -> Outcome.denied(null)),
                npe("status", () -> Outcome.of(null)),
                npe("status", () -> Outcome.of(null, "c", "r")),
                npe("reason", () -> Outcome.of(OutcomeStatus.FAILURE, "c", (String) null)),
                npe("reasonCode", () -> Outcome.of(OutcomeStatus.FAILURE, null, java.util.Optional.empty())),
                npe("ip", () -> Origin.builder().ip(null)),
                npe("userAgent", () -> Origin.builder().userAgent(null)),
                npe("channel", () -> Origin.builder().channel(null)),
                npe("host", () -> Origin.builder().host(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullCalls")
    void nullArgumentIsRejectedWithItsName(String argument, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(NullPointerException.class).hasMessage(argument);
    }
}
