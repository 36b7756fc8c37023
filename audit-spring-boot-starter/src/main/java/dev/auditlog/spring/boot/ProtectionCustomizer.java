package dev.auditlog.spring.boot;

import dev.auditlog.protect.Protection;

/**
 * Changes the {@link Protection.Builder} the starter configured from {@code auditlog.protection.*}, before it is
 * built: declare beans of this type to add detection rules, guard rules or alert listeners that properties do not
 * describe. Applied in {@link org.springframework.core.annotation.Order @Order}. (A {@code Protection} bean of the
 * application replaces the starter's altogether.)
 */
@FunctionalInterface
public interface ProtectionCustomizer {

    /** Changes the builder. */
    void customize(Protection.Builder builder);
}
