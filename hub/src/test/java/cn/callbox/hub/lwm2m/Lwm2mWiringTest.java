package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.CallBoxStatusPublisher;
import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.incident.CallBoxCommands;
import cn.callbox.hub.registry.CallBoxKeys;
import cn.callbox.hub.system.HubProperties;

/** The beans of the device and lwm2m packages start with only what the brief allows them to need. */
class Lwm2mWiringTest {

    @Test
    void lwm2m_beans_start_with_registry_keys_and_alarm_receiver_only_and_stop_with_the_context() {
        Fakes.Statuses statuses = new Fakes.Statuses();
        LeshanServerLifecycle lifecycle;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(HubProperties.class, () -> new HubProperties(Path.of("target/data"), "houshan",
                    new HubProperties.Lwm2m(0, null, "0.0.0.0", null), null, null, null));
            context.registerBean(CallBoxKeys.class, Fakes.Keys::new);
            context.registerBean(AlarmReceiver.class, Fakes.Alarms::new);
            context.registerBean(CallBoxStatusPublisher.class, () -> statuses);
            context.scan("cn.callbox.hub.device", "cn.callbox.hub.lwm2m");
            context.refresh();

            DeviceEndpoint endpoint = context.getBean(DeviceEndpoint.class);
            assertThat(endpoint.secureUri().toString()).matches("coaps://127\\.0\\.0\\.1:[1-9][0-9]*");
            assertThat(endpoint.plainUri()).isEmpty();
            assertThat(context.getBean(CallBoxCommands.class)).isInstanceOf(LeshanCallBoxCommands.class);
            context.getBean(PresenceUpdates.class).registered("box-1", Instant.parse("2026-11-29T08:00:00Z"));
            assertThat(context.getBean(CallBoxPresence.class).presenceOf("box-1").online()).isTrue();
            assertThat(statuses.last("box-1")).hasValueSatisfying(s -> assertThat(s.online()).isTrue());
            lifecycle = context.getBean(LeshanServerLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
        }
        assertThat(lifecycle.isRunning()).isFalse();
    }
}
