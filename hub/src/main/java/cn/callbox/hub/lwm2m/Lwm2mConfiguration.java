package cn.callbox.hub.lwm2m;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.hub.system.HubProperties;

/**
 * The LwM2M server and the call-box commands over it. Uses the application's {@link Clock} bean when there is one,
 * else the system clock in UTC.
 */
@Configuration(proxyBeanMethods = false)
class Lwm2mConfiguration {

    @Bean
    LeshanServerLifecycle leshanServer(HubProperties properties, CallBoxKeys keys,
            ObjectProvider<AlarmReceiver> alarmReceiver, PresenceUpdates presence, ObjectProvider<Clock> clock) {
        // looked up at the first alarm: the incident service itself needs the commands that need this server
        AlarmReceiver alarms = alarm -> alarmReceiver.getObject().receive(alarm);
        return new LeshanServerLifecycle(properties.lwm2m(), keys, alarms, presence,
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    LeshanClockReader clockReader(LeshanServerLifecycle leshanServer, PresenceUpdates presence,
            ObjectProvider<Clock> clock) {
        return new LeshanClockReader(leshanServer, presence, clock.getIfAvailable(Clock::systemUTC),
                LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS, LeshanClockReader.REREAD_AFTER);
    }

    @Bean
    LeshanCallBoxCommands callBoxCommands(LeshanServerLifecycle leshanServer) {
        return new LeshanCallBoxCommands(leshanServer, LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS);
    }

    @Bean
    LeshanSelfTestCommand selfTestCommand(LeshanServerLifecycle leshanServer) {
        return new LeshanSelfTestCommand(leshanServer, LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS);
    }
}
