package cn.callbox.hub.system;

import java.time.Clock;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may do what over HTTP (ARCHITECTURE.md, security).
 * <ul>
 * <li>{@code /api/**}: HTTP Basic for API clients (stateless, no CSRF: no cookies are involved), or the console's
 * session after a form login (then every change needs the CSRF token in the {@code X-CSRF-TOKEN} header); 401/403 as
 * problem details. Every GET and the incident acks/reports POSTs need any hub role; anything else needs admin unless
 * a rule below says otherwise. Unit leaders are confined to their own unit by the features' controllers
 * ({@link Caller#maySee}).</li>
 * <li>Everything else is the console: form login at {@code /login} (fields {@code username}, {@code password},
 * {@code _csrf}), session cookie, CSRF on.</li>
 * </ul>
 * Users live in the database ({@link ConsoleUsers}), passwords as BCrypt hashes; the first admin is made at start
 * ({@link AdminAccount}).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
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
                        .requestMatchers(HttpMethod.GET, "/api/audit", "/api/users", "/api/users/**").hasRole("ADMIN")
                        // firmware and roll-outs: township IT only, reading included
                        .requestMatchers("/api/firmware", "/api/firmware/**").hasRole("ADMIN")
                        // surprise drills: the command centre and the police station (township plan §5.2); the
                        // plan's dates are kept from the units, so leaders may not even read them
                        .requestMatchers("/api/drills", "/api/drills/**").hasAnyRole("ADMIN", "DISPATCHER", "POLICE")
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(ANY_ROLE)
                        .requestMatchers(HttpMethod.POST, "/api/incidents/*/acks", "/api/incidents/*/reports")
                        .hasAnyRole(ANY_ROLE)
                        // the command centre steers incidents, commands boxes and speaks to villages
                        .requestMatchers(HttpMethod.POST, "/api/incidents/*/alerts", "/api/incidents/*/police",
                                "/api/incidents/*/false-alarm", "/api/incidents/*/close",
                                "/api/callboxes/*/actions", "/api/announcements")
                        .hasAnyRole("ADMIN", "DISPATCHER")
                        .requestMatchers("/api/announcement-schedules", "/api/announcement-schedules/**")
                        .hasAnyRole("ADMIN", "DISPATCHER")
                        // a unit's leader keeps its roster and training records (own-unit check in the API)
                        .requestMatchers("/api/units/*/roster", "/api/units/*/duty/**", "/api/units/*/swaps",
                                "/api/units/*/members", "/api/units/*/members/**", "/api/units/*/trainings",
                                "/api/units/*/trainings/**")
                        .hasAnyRole("ADMIN", "UNIT_LEADER")
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
                // the console's session is honoured, but the API never creates one
                .securityContext(context -> context
                        .securityContextRepository(new HttpSessionSecurityContextRepository()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(SecurityConfiguration::sessionAuthenticatedChange))
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    /**
     * Boxes fetch firmware packages without an account: the URL carries a random token per package, and a box trusts
     * a package only for its Ed25519 signature, never for where it came from. Nothing else under /firmware.
     */
    @Bean
    @Order(0)
    SecurityFilterChain firmwareDownloadSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/firmware/**")
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.GET, "/firmware/download/*").permitAll()
                        .anyRequest().denyAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                        .requestMatchers("/login", "/error", "/favicon.ico", "/webjars/**", "/console/**")
                        .permitAll()
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll());
        return http.build();
    }

    /**
     * CSRF protects what a browser sends with its session cookie on its own: changes without an {@code Authorization}
     * header from a client that has a session. API clients with HTTP Basic cannot be driven by another site, so they
     * need no token.
     */
    private static boolean sessionAuthenticatedChange(HttpServletRequest request) {
        // without a session nothing rides on a cookie: an anonymous call gets its 401 from the entry point instead
        return !SAFE_METHODS.contains(request.getMethod()) && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                && request.getSession(false) != null;
    }
}
