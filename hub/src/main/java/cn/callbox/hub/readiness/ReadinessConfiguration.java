package cn.callbox.hub.readiness;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.registry.TownshipDirectory;

/**
 * Wires the readiness judge from the registry, the LwM2M presence and the hub's clock, and the monitor that judges
 * again on every change and tells the {@link ReadinessListener}s. The monitor works on one daemon thread of its own,
 * which also runs the day-change check every {@link ReadinessTicker#PERIOD}.
 */
@Configuration(proxyBeanMethods = false)
class ReadinessConfiguration {

    @Bean
    DefaultReadinessService readinessService(TownshipDirectory directory, CallBoxPresence presence,
            ObjectProvider<Clock> clock) {
        return new DefaultReadinessService(directory, presence, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService readinessExecutor() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "readiness-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    ReadinessMonitor readinessMonitor(DefaultReadinessService readinessService, TownshipDirectory directory,
            ObjectProvider<ReadinessListener> listeners, ObjectProvider<InMemoryCallBoxPresence> presence,
            ScheduledExecutorService readinessExecutor, ObjectProvider<Clock> clock) {
        InMemoryCallBoxPresence statusSource = presence.getIfAvailable();
        ReadinessMonitor monitor = new ReadinessMonitor(readinessService, directory,
                () -> listeners.orderedStream().toList(),
                box -> {
                    if (statusSource != null) {
                        statusSource.republishStatus(box);
                    }
                }, readinessExecutor, clock.getIfAvailable(Clock::systemUTC));
        if (statusSource != null) {
            statusSource.useLockerReadiness(monitor);
        }
        return monitor;
    }

    @Bean
    ReadinessTicker readinessTicker(ReadinessMonitor monitor, ScheduledExecutorService readinessExecutor) {
        return new ReadinessTicker(monitor, readinessExecutor);
    }
}
