package cn.callbox.hub.training;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;

/** Training records and commendations over the hub's database (V11). */
@Configuration(proxyBeanMethods = false)
class TrainingConfiguration {

    @Bean
    TrainingService trainingService(JdbcClient jdbc, TownshipDirectory directory, TransactionTemplate transactions,
            AuditTrail audit, Clock clock) {
        return new TrainingService(new JdbcTrainingRecords(jdbc), directory, transactions, audit, clock);
    }
}
