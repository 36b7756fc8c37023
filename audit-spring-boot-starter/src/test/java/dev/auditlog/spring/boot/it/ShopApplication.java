package dev.auditlog.spring.boot.it;

import dev.auditlog.Category;
import dev.auditlog.GuardDeniedException;
import dev.auditlog.protect.GuardRules;
import dev.auditlog.spring.Audited;
import dev.auditlog.spring.boot.ProtectionCustomizer;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.atomic.AtomicInteger;

/** The application the HTTP test drives: Basic authentication, an API, an admin page and an audited service. */
@SpringBootApplication
public class ShopApplication {
    /** Calls that reached a controller or the service body: the lockout must answer before these. */
    static final AtomicInteger CONTROLLER_CALLS = new AtomicInteger();
    static final AtomicInteger DELETES_RUN = new AtomicInteger();

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
                        .requestMatchers("/actuator/**", "/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}alice-pw").roles("USER").build(),
                User.withUsername("bob").password("{noop}bob-pw").roles("USER").build(),
                User.withUsername("admin").password("{noop}admin-pw").roles("ADMIN").build());
    }

    /** Documents whose id starts with "secret-" may be deleted by admin only: the guard says so. */
    @Bean
    ProtectionCustomizer secretDocuments() {
        return p -> p.guardRule(GuardRules.restrictedTargets("secret-documents").targetType("document")
                .targetId("secret-*").approvedActors("admin").build());
    }

    @Service
    public static class Documents {
        @Audited(action = "document.delete", category = Category.DATA_CHANGE, targetType = "document",
                targetId = "#id", attributes = {"reason=#reason", "length=#reason.length()"}, guarded = true)
        public String delete(String id, String reason) {
            DELETES_RUN.incrementAndGet();
            if (id.startsWith("broken-")) {
                throw new IllegalStateException("disk full while deleting " + id);
            }
            return "deleted " + id;
        }
    }

    @RestController
    public static class Api {
        private final Documents documents;

        Api(Documents documents) {
            this.documents = documents;
        }

        @GetMapping("/api/hello")
        String hello() {
            CONTROLLER_CALLS.incrementAndGet();
            return "hello";
        }

        @GetMapping("/admin/settings")
        String settings() {
            CONTROLLER_CALLS.incrementAndGet();
            return "settings";
        }

        @PostMapping("/api/documents/{id}/delete")
        String delete(@PathVariable("id") String id, @RequestParam("reason") String reason) {
            CONTROLLER_CALLS.incrementAndGet();
            return documents.delete(id, reason);
        }

        @ExceptionHandler(GuardDeniedException.class)
        ResponseEntity<String> denied(GuardDeniedException e) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body("denied");
        }

        @ExceptionHandler(IllegalStateException.class)
        ResponseEntity<String> failed(IllegalStateException e) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("failed");
        }
    }
}
