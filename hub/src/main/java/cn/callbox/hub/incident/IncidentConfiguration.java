package cn.callbox.hub.incident;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.system.PeriodicTicker;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the alarm path: the incident store on the hub database, the incident service (which is the
 * {@link AlarmReceiver} and {@link AckReceiver} of the other packages) and its one-second ticker. The dispatch
 * executor is private to the service, not a bean, so that Spring Boot's own task executor stays as it is.
 */
@Configuration(proxyBeanMethods = false)
class IncidentConfiguration {

    /** Dispatches run on two threads: enough for a township, and one slow registry read cannot stall the other. */
    private static final int DISPATCH_THREADS = 2;

    @Bean
    JdbcIncidentStore incidentStore(DataSource dataSource, PlatformTransactionManager transactions) {
        return new JdbcIncidentStore(JdbcClient.create(dataSource), new TransactionTemplate(transactions));
    }

    @Bean
    IncidentService incidentService(TownshipDirectory directory, ReadinessService readiness,
            CallBoxCommands commands, AlarmPublisher publisher, JdbcIncidentStore store,
            ObjectProvider<JsonMapper> jsonMapper, HubProperties properties, ObjectProvider<Clock> clock) {
        JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
        HubProperties.Dispatch dispatch = properties.dispatch() != null ? properties.dispatch()
                : new HubProperties.Dispatch(2, 5, Duration.ofSeconds(60), Duration.ofSeconds(180));
        return new IncidentService(directory, readiness, commands, publisher, store, mapper::writeValueAsString,
                dispatch, clock.getIfAvailable(Clock::systemUTC), dispatchExecutor());
    }

    /** Escalation every second, after the open incidents are loaded back when the hub starts. */
    @Bean
    PeriodicTicker escalationTicker(IncidentService incidents) {
        return new PeriodicTicker("incident-ticker", Duration.ofSeconds(1), incidents::recover, incidents::tick);
    }

    private static ExecutorService dispatchExecutor() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(DISPATCH_THREADS, r -> {
            Thread t = new Thread(r, "dispatch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
