package dev.auditlog.example;

import dev.auditlog.protect.GuardRules;
import dev.auditlog.spring.boot.ProtectionCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What application.yml cannot say: a guard rule in code. (The failed-login burst rule and its lockout are in
 * application.yml.)
 */
@Configuration(proxyBeanMethods = false)
public class ShopProtection {

    @Bean
    ProtectionCustomizer secretDocumentsForAdminOnly() {
        return p -> p.guardRule(GuardRules.restrictedTargets("secret-documents").targetType("document")
                .targetId("secret-*").approvedActors("admin").build());
    }
}
