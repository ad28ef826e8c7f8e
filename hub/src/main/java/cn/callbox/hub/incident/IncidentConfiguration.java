package cn.callbox.hub.incident;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.system.DatabaseWatch;
import cn.callbox.hub.system.PeriodicTicker;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.mqtt.UnitAlert;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the alarm path: the incident store on the hub database, the incident service (which is the
 * {@link AlarmReceiver} and {@link AckReceiver} of the other packages) and its one-second ticker. The dispatch
 * executor is private to the service, not a bean, so that Spring Boot's own task executor stays as it is.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlarmRules.class)
class IncidentConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentConfiguration.class);

    /** Dispatches run on two threads: enough for a township, and one slow registry read cannot stall the other. */
    private static final int DISPATCH_THREADS = 2;

    @Bean
    JdbcIncidentStore incidentStore(DataSource dataSource, PlatformTransactionManager transactions) {
        return new JdbcIncidentStore(JdbcClient.create(dataSource), new TransactionTemplate(transactions),
                JdbcIncidentStore.flushFor(dataSource));
    }

    @Bean
    IncidentService incidentService(TownshipDirectory directory, ReadinessService readiness,
            CallBoxCommands commands, AlarmPublisher publisher, ObjectProvider<IncidentListener> listeners,
            JdbcIncidentStore store, DatabaseWatch databaseWatch,
            ObjectProvider<JsonMapper> jsonMapper, HubProperties properties, AlarmRules rules,
            ObjectProvider<Clock> clock) {
        JsonMapper mapper = jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
        HubProperties.Dispatch dispatch = properties.dispatch() != null ? properties.dispatch()
                : new HubProperties.Dispatch(2, 5, Duration.ofSeconds(60), Duration.ofSeconds(180));
        return new IncidentService(directory, readiness, commands, alsoTelling(publisher, listeners),
                new WatchedIncidentStore(store, databaseWatch),
                mapper::writeValueAsString,
                dispatch, rules, clock.getIfAvailable(Clock::systemUTC), dispatchExecutor());
    }

    /** Escalation every second, after the open incidents are loaded back when the hub starts. */
    @Bean
    PeriodicTicker escalationTicker(IncidentService incidents) {
        return new PeriodicTicker("incident-ticker", Duration.ofSeconds(1), incidents::recover, incidents::tick);
    }

    /** The MQTT publisher, and after each incident publication every {@link IncidentListener} (the console). */
    private static AlarmPublisher alsoTelling(AlarmPublisher publisher, ObjectProvider<IncidentListener> listeners) {
        return new AlarmPublisher() {
            @Override
            public void publishAlert(String unitId, UnitAlert alert) {
                publisher.publishAlert(unitId, alert);
            }

            @Override
            public void publishIncident(String incidentId, String incidentJson) {
                publisher.publishIncident(incidentId, incidentJson);
                listeners.orderedStream().forEach(listener -> {
                    try {
                        listener.incidentChanged(incidentId, incidentJson);
                    } catch (RuntimeException e) {
                        LOG.error("Incident listener {} failed on {}", listener, incidentId, e);
                    }
                });
            }
        };
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
