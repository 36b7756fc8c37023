/**
 * Apache Kafka for audit logs that span a fleet: {@link dev.auditlog.kafka.KafkaAuditSink} produces each chain's
 * sealed records to one partition of a topic, {@link dev.auditlog.kafka.KafkaAuditReader} reads a chain back (for
 * the verifier and {@code auditlog verify kafka://...}), and {@link dev.auditlog.kafka.KafkaCollector} moves the
 * records, verified as they go, into a central store. See {@code docs/SCALING.md}.
 */
package dev.auditlog.kafka;
