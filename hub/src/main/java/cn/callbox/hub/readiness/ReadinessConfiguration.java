package cn.callbox.hub.readiness;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.registry.TownshipDirectory;

/** Wires the readiness judge from the registry, the LwM2M presence and the hub's clock. */
@Configuration(proxyBeanMethods = false)
class ReadinessConfiguration {

    @Bean
    DefaultReadinessService readinessService(TownshipDirectory directory, CallBoxPresence presence,
            ObjectProvider<Clock> clock) {
        return new DefaultReadinessService(directory, presence, clock.getIfAvailable(Clock::systemUTC));
    }
}
