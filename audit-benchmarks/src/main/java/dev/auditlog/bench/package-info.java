/** JMH benchmarks for auditlog; see audit-benchmarks/README.md. */
package dev.auditlog.bench;
