package cn.callbox.hub.rectification;

import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.system.PeriodicTicker;
import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.incident.AlarmRules;
import cn.callbox.hub.incident.IncidentService;
import cn.callbox.hub.registry.TownshipDirectory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the rectification loop: JDBC store, service (the hub's {@link RectificationTasks}), the readiness listener that
 * opens and rectifies tasks, the presence listener for {@code box-offline} tasks and the condition listener for
 * {@code tamper}, {@code mains-lost} and {@code low-battery} tasks, the clock listener for {@code clock-skew} tasks
 * (each on a daemon thread of its own), the
 * readiness listener that closes incidents' equipment checks, and the 30 s ticker. Publishers are looked up when a
 * task changes, so the loop works (tasks stay {@code open}, retried) without MQTT.
 */
@Configuration(proxyBeanMethods = false)
class RectificationConfiguration {

    /** Overdue tasks and the kit check at start are looked at this often. */
    static final Duration TICK_PERIOD = Duration.ofSeconds(30);

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
            TownshipDirectory directory, ObjectProvider<CallBoxPresence> presence, ObjectProvider<Clock> clock) {
        return new ReadinessRectifier(service, unit -> {
            IncidentService found = incidents.getIfAvailable();
            return found != null && found.hasOpenIncidentFor(unit);
        }, unit -> {
            // lockers read: every box of the unit online and its item counts reported (no presence: never)
            CallBoxPresence boxes = presence.getIfAvailable();
            return boxes != null && directory.unit(unit).map(found -> !found.callBoxes().isEmpty()
                    && found.callBoxes().stream().map(boxes::presenceOf)
                            .allMatch(box -> box.online() && !box.itemsPresent().isEmpty()))
                    .orElse(false);
        }, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    EquipmentReturnWatch equipmentReturnWatch(ObjectProvider<IncidentService> incidents,
            ObjectProvider<Clock> clock) {
        return new EquipmentReturnWatch(unit -> {
            IncidentService found = incidents.getIfAvailable();
            return found != null && found.hasOpenIncidentFor(unit);
        }, (unit, at) -> {
            IncidentService found = incidents.getIfAvailable();
            if (found != null) {
                found.recordEquipmentReturned(unit, at);
            }
        }, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    BoxOfflineRectifier boxOfflineRectifier(RectificationService service, TownshipDirectory directory) {
        return new BoxOfflineRectifier(service, directory, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "box-offline-rectifier");
            t.setDaemon(true);
            return t;
        }));
    }

    @Bean
    BoxConditionRectifier boxConditionRectifier(RectificationService service, TownshipDirectory directory) {
        return new BoxConditionRectifier(service, directory, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "box-condition-rectifier");
            t.setDaemon(true);
            return t;
        }));
    }

    /** The bound is the press-time plausibility bound of {@link AlarmRules}: a box beyond it is not believed. */
    @Bean
    ClockSkewWatch clockSkewWatch(RectificationService service, TownshipDirectory directory,
            ObjectProvider<AlarmRules> alarmRules) {
        return new ClockSkewWatch(service, directory, alarmRules.getIfAvailable(AlarmRules::defaults).clockSkew(),
                Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "clock-skew-watch");
                    t.setDaemon(true);
                    return t;
                }));
    }

    @Bean
    PeriodicTicker rectificationTicker(RectificationService service) {
        return PeriodicTicker.every("rectification-ticker", TICK_PERIOD, service::tick);
    }

    /** The kit check of units that were already short when the hub started. */
    @Bean
    PeriodicTicker kitCheckTicker(ReadinessRectifier rectifier) {
        return PeriodicTicker.every("kit-check-ticker", TICK_PERIOD, rectifier::tick);
    }
}
