package cn.callbox.hub.system;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the {@link DatabaseWatch} and probes the database once a second. */
@Configuration(proxyBeanMethods = false)
class DatabaseWatchConfiguration {

    @Bean
    DatabaseWatch databaseWatch(JdbcClient jdbc) {
        return new DatabaseWatch(jdbc);
    }

    @Bean
    PeriodicTicker databaseProbe(DatabaseWatch watch) {
        return PeriodicTicker.every("database-watch", Duration.ofSeconds(1), watch::probe);
    }
}
