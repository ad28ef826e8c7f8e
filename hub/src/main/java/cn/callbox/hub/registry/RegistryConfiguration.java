package cn.callbox.hub.registry;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** The registry over the hub's database: read side, keys, MQTT accounts, the write side and duty rosters. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    JdbcTownshipDirectory townshipDirectory(JdbcClient jdbc) {
        return new JdbcTownshipDirectory(jdbc);
    }

    @Bean
    JdbcCallBoxKeys callBoxKeys(JdbcClient jdbc) {
        return new JdbcCallBoxKeys(jdbc);
    }

    @Bean
    RegistryMqttAccounts mqttAccounts(JdbcClient jdbc, PasswordEncoder encoder) {
        return new RegistryMqttAccounts(jdbc, encoder);
    }

    /** Listeners are looked up at each change: readiness beans may depend on the directory, created before them. */
    @Bean
    DutyRosterService dutyRosterService(JdbcClient jdbc, TransactionTemplate transactions,
            ObjectProvider<DutyListener> listeners, Clock clock) {
        return new DutyRosterService(jdbc, transactions, () -> listeners.orderedStream().toList(), clock);
    }

    @Bean
    RegistryService registryService(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        return new RegistryService(jdbc, transactions, clock);
    }
}
