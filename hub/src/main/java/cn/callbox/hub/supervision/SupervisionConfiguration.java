package cn.callbox.hub.supervision;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.callbox.hub.system.PeriodicTicker;
import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.incident.IncidentService;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.registry.TownshipDirectory;

/**
 * Wires supervision: the sweep and daily self-test ({@link Supervisor} on its ticker), self-tests and their results,
 * and the locker watch. The incident service, the rectification tasks and the event publisher are looked up when
 * first needed, so that no dependency cycle forms and the hub runs without them.
 */
@Configuration(proxyBeanMethods = false)
class SupervisionConfiguration {

    @Bean
    JdbcSelfTestResults selfTestResults(DataSource dataSource) {
        return new JdbcSelfTestResults(JdbcClient.create(dataSource));
    }

    @Bean
    SelfTests selfTests(TownshipDirectory directory, CallBoxPresence presence, SelfTestCommand command,
            JdbcSelfTestResults results, ObjectProvider<RectificationTasks> tasks, ObjectProvider<Clock> clock) {
        return new SelfTests(directory, presence, command, results, tasks, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    Supervisor supervisor(PresenceUpdates presence, SelfTests selfTests, SupervisionProperties settings,
            ObjectProvider<Clock> clock) {
        return new Supervisor(presence, selfTests, settings, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PeriodicTicker supervisionTicker(Supervisor supervisor, SupervisionProperties settings) {
        return PeriodicTicker.every("supervision-ticker", settings.sweepInterval(), supervisor::tick);
    }

    @Bean
    LockerWatch lockerWatch(TownshipDirectory directory, ObjectProvider<IncidentService> incidents,
            ObjectProvider<SupervisionEvents> events, ObjectProvider<RectificationTasks> tasks,
            ObjectProvider<Clock> clock) {
        IncidentLink link = new IncidentLink() {
            @Override
            public boolean hasOpenIncidentFor(String unitId) {
                IncidentService service = incidents.getIfAvailable();
                return service != null && service.hasOpenIncidentFor(unitId);
            }

            @Override
            public void recordMuster(String unitId, Instant openedAt) {
                IncidentService service = incidents.getIfAvailable();
                if (service != null) {
                    service.recordMuster(unitId, openedAt);
                }
            }
        };
        // a private worker, not an Executor bean: Spring Boot's own task executor stays as it is
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "locker-watch");
            t.setDaemon(true);
            return t;
        });
        return new LockerWatch(directory, link, events, tasks, clock.getIfAvailable(Clock::systemUTC), worker);
    }
}
