package cn.callbox.hub.lwm2m;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The console's call-box actions and device information over the LwM2M server. */
@Configuration(proxyBeanMethods = false)
class CallBoxActionsConfiguration {

    @Bean
    LeshanCallBoxActions callBoxActions(LeshanServerLifecycle leshanServer) {
        return new LeshanCallBoxActions(leshanServer, LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS);
    }

    @Bean
    LeshanDeviceInfoReader deviceInfoReader(LeshanServerLifecycle leshanServer, ObjectProvider<Clock> clock) {
        return new LeshanDeviceInfoReader(leshanServer, clock.getIfAvailable(Clock::systemUTC),
                LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS);
    }
}
