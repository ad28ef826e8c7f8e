package cn.callbox.hub.rectification;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.incident.IncidentService;
import cn.callbox.hub.registry.TownshipDirectory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the rectification loop: JDBC store, service (the hub's {@link RectificationTasks}), the readiness listener that
 * opens and rectifies tasks, and the 30 s ticker. Publishers are looked up when a task changes, so the loop works
 * (tasks stay {@code open}, retried) without MQTT.
 */
@Configuration(proxyBeanMethods = false)
class RectificationConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RectificationConfiguration.class);

    @Bean
    RectificationService rectificationService(JdbcClient jdbc, TransactionTemplate tx, TownshipDirectory directory,
            ObjectProvider<RectificationPublisher> publishers, ObjectProvider<JsonMapper> jsonMapper,
            ObjectProvider<Clock> clock) {
        RectificationPublisher publisher = (id, taskJson) -> {
            RectificationPublisher found = publishers.getIfAvailable();
            if (found == null) {
                LOG.warn("No MQTT publisher for rectification task {}: not notified", id);
                throw new IllegalStateException("no rectification publisher");
            }
            found.publishRectification(id, taskJson);
        };
        return new RectificationService(new JdbcRectificationStore(jdbc, tx), directory, publisher,
                jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    ReadinessRectifier readinessRectifier(RectificationService service, ObjectProvider<IncidentService> incidents,
            ObjectProvider<Clock> clock) {
        return new ReadinessRectifier(service, unit -> {
            IncidentService found = incidents.getIfAvailable();
            return found != null && found.hasOpenIncidentFor(unit);
        }, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    RectificationTicker rectificationTicker(RectificationService service) {
        return new RectificationTicker(service);
    }
}
