package dev.auditlog.example;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A login form at /login for browsers and HTTP Basic for the API. Nothing here mentions auditing: the starter
 * records logins, failures and denials from Spring Security's events.
 */
@Configuration(proxyBeanMethods = false)
public class ShopSecurity {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
                        .requestMatchers("/actuator/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                // The API is called with Basic credentials, not a browser session: no CSRF token to carry.
                .csrf(c -> c.ignoringRequestMatchers("/api/**"));
        return http.build();
    }

    /** Demo users; passwords in clear only because this is a demo. */
    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}alice-pw").roles("USER").build(),
                User.withUsername("bob").password("{noop}bob-pw").roles("USER").build(),
                User.withUsername("admin").password("{noop}admin-pw").roles("USER", "ADMIN").build());
    }
}
