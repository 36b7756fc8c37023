/**
 * Spring Boot auto-configuration for auditlog: {@code auditlog.*} properties ({@link
 * dev.auditlog.spring.boot.AuditLogProperties}), the log and its protection, Spring Security events as records,
 * {@code /actuator/auditevents} from the log, a health indicator, Micrometer meters, {@code @Audited} methods and a
 * guard lockout filter. See the README's "Spring Boot" section.
 */
package dev.auditlog.spring.boot;
