package cn.callbox.hub.announcement;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.PeriodicTicker;

/**
 * Wires announcements: the stores on the hub database, the broadcast service over the {@link Loudspeakers} (LwM2M in
 * the hub), the schedules and their 15 s ticker on the application's clock.
 */
@Configuration(proxyBeanMethods = false)
class AnnouncementConfiguration {

    /** How long the boxes of one broadcast get to answer, all together. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** Schedules are looked at this often. */
    static final Duration TICK_PERIOD = Duration.ofSeconds(15);

    @Bean
    AnnouncementService announcementService(TownshipDirectory directory, Loudspeakers loudspeakers, JdbcClient jdbc,
            PlatformTransactionManager transactions, AuditTrail audit, ConsoleFeed feed,
            ObjectProvider<Clock> clock) {
        return new AnnouncementService(directory, loudspeakers,
                new JdbcAnnouncementStore(jdbc, new TransactionTemplate(transactions)), audit, feed,
                clock.getIfAvailable(Clock::systemUTC), ANSWER_TIMEOUT);
    }

    @Bean
    ScheduleService announcementScheduleService(JdbcClient jdbc, AnnouncementService announcements,
            TownshipDirectory directory, AuditTrail audit, ConsoleFeed feed, ObjectProvider<Clock> clock) {
        return new ScheduleService(new JdbcScheduleStore(jdbc), announcements, directory, audit, feed,
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PeriodicTicker announcementTicker(ScheduleService schedules) {
        return PeriodicTicker.every("announcement-ticker", TICK_PERIOD, schedules::tick);
    }
}
