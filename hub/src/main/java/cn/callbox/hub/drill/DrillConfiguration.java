package cn.callbox.hub.drill;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.incident.IncidentService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.PeriodicTicker;

/**
 * Wires the drills: JDBC store, service over the hub's {@link IncidentService} (or a {@link DrillLauncher} bean, which
 * tests provide) and, only with {@code callbox.drills.auto-start=true} (default false), the ticker that starts planned
 * drills when their time comes.
 */
@Configuration(proxyBeanMethods = false)
class DrillConfiguration {

    /** Planned drills are looked at this often by the auto-start. */
    static final Duration AUTO_START_PERIOD = Duration.ofSeconds(30);

    @Bean
    DrillService drillService(DataSource dataSource, PlatformTransactionManager transactions,
            ObjectProvider<DrillLauncher> launchers, ObjectProvider<IncidentService> incidents,
            TownshipDirectory directory, AuditTrail audit, ConsoleFeed feed, ObjectProvider<Clock> clock) {
        DrillLauncher launcher = launchers.getIfAvailable(() -> new IncidentDrillLauncher(incidents.getObject()));
        return new DrillService(new JdbcDrillStore(JdbcClient.create(dataSource),
                new TransactionTemplate(transactions)), launcher, directory, audit, feed,
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    @ConditionalOnProperty(name = "callbox.drills.auto-start", havingValue = "true")
    PeriodicTicker drillAutoStartTicker(DrillService drills) {
        return PeriodicTicker.every("drill-auto-start", AUTO_START_PERIOD, drills::startDue);
    }
}
