package cn.callbox.hub.lwm2m;

import java.time.Clock;
import java.time.Duration;

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

    /**
     * How long a command waits for a box that is not registered: long enough for every box to find a restarted hub
     * (a heartbeat and a few request timeouts), short enough that nobody hears a stale announcement.
     */
    static final Duration COMMANDS_WAIT_AT_MOST = Duration.ofMinutes(10);

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
    LeshanCallBoxCommands callBoxCommands(LeshanServerLifecycle leshanServer, ObjectProvider<Clock> clock) {
        LeshanCallBoxCommands commands = new LeshanCallBoxCommands(leshanServer,
                LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS, clock.getIfAvailable(Clock::systemUTC),
                COMMANDS_WAIT_AT_MOST);
        // the server starts after the beans are made (a SmartLifecycle), so this listener is there from the start
        leshanServer.addRegistrationListener(commands.registrationListener());
        return commands;
    }

    @Bean
    LeshanSelfTestCommand selfTestCommand(LeshanServerLifecycle leshanServer) {
        return new LeshanSelfTestCommand(leshanServer, LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS);
    }
}
