package cn.callbox.hub.system;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's one {@link Clock}: system time in UTC. Everything that needs "now" or "today" takes this bean, so tests
 * replace it (a {@code @Primary} clock) to move time instead of sleeping.
 */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
