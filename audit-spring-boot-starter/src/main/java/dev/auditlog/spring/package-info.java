/** Annotations for Spring applications that use the auditlog starter: {@link dev.auditlog.spring.Audited}. */
package dev.auditlog.spring;
