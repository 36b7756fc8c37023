package dev.auditlog.kafka.internal;

import dev.auditlog.kafka.KafkaAuditReader;
import dev.auditlog.kafka.KafkaAuditSink;
import dev.auditlog.kafka.KafkaConnection;
import dev.auditlog.spi.AuditReader;
import dev.auditlog.spi.AuditSink;
import dev.auditlog.spi.AuditSinkProvider;

import java.util.Optional;

/** Serves {@code kafka://host:port[,host:port]/topic[?setting=value&...]}: sink and reader. */
public final class KafkaAuditSinkProvider implements AuditSinkProvider {
    @Override
    public String scheme() {
        return "kafka";
    }

    @Override
    public AuditSink create(String spec) {
        return KafkaAuditSink.builder(KafkaConnection.parse(spec)).build();
    }

    @Override
    public Optional<AuditReader> reader(String spec) {
        return Optional.of(KafkaAuditReader.open(KafkaConnection.parse(spec)));
    }
}
