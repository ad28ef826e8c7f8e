package cn.callbox.hub.system;

import java.time.Clock;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what over HTTP (ARCHITECTURE.md, security).
 * <ul>
 * <li>{@code /api/**}: HTTP Basic, stateless, no CSRF (no cookies are involved); 401/403 as problem details. Every
 * GET and the incident acks/reports POSTs need any hub role; anything else needs admin.</li>
 * <li>Everything else is the console: form login at {@code /login} (fields {@code username}, {@code password},
 * {@code _csrf}), session cookie, CSRF on.</li>
 * </ul>
 * Users live in the database ({@link ConsoleUsers}), passwords as BCrypt hashes; the first admin is made at start
 * ({@link AdminAccount}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String[] ANY_ROLE = { "ADMIN", "DISPATCHER", "POLICE", "UNIT_LEADER" };

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    ConsoleUsers consoleUsers(JdbcClient jdbc, Clock clock) {
        return new ConsoleUsers(jdbc, clock);
    }

    /** Runs once every singleton (Flyway's migration included) exists, before the web server takes requests. */
    @Bean
    SmartInitializingSingleton adminAccountBootstrap(ConsoleUsers users, PasswordEncoder encoder,
            HubProperties properties, Environment environment) {
        return () -> new AdminAccount(users, encoder, properties.dataDir(),
                environment.getProperty("CALLBOX_ADMIN_PASSWORD")).ensure();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(ANY_ROLE)
                        .requestMatchers(HttpMethod.POST, "/api/incidents/*/acks", "/api/incidents/*/reports")
                        .hasAnyRole(ANY_ROLE)
                        // rectification: the unit's leader reports, township staff verify (own-unit check in the API)
                        .requestMatchers(HttpMethod.POST, "/api/rectifications/*/rectify")
                        .hasAnyRole("ADMIN", "UNIT_LEADER")
                        .requestMatchers(HttpMethod.POST, "/api/rectifications/*/verify",
                                "/api/rectifications/*/reopen", "/api/callboxes/*/self-test")
                        .hasAnyRole("ADMIN", "DISPATCHER")
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(basic -> basic.realmName(ProblemResponses.REALM).authenticationEntryPoint(problems))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/login", "/error", "/favicon.ico").permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll());
        return http.build();
    }
}
