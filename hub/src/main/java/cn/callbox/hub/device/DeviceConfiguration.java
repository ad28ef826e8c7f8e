package cn.callbox.hub.device;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the in-memory presence. Status publishers and locker, presence, condition and clock listeners are looked up
 * when a change happens, so the hub starts without them (tests, or before the MQTT and readiness features exist) and
 * no dependency cycle forms.
 */
@Configuration(proxyBeanMethods = false)
class DeviceConfiguration {

    @Bean
    InMemoryCallBoxPresence callBoxPresence(ObjectProvider<CallBoxStatusPublisher> statusPublishers,
            ObjectProvider<LockerListener> lockerListeners, ObjectProvider<PresenceListener> presenceListeners,
            ObjectProvider<ConditionListener> conditionListeners, ObjectProvider<ClockListener> clockListeners) {
        return new InMemoryCallBoxPresence(
                (endpoint, status) -> statusPublishers.orderedStream()
                        .forEach(publisher -> publisher.publishStatus(endpoint, status)),
                (endpoint, doorOpen, items) -> lockerListeners.orderedStream()
                        .forEach(listener -> listener.lockerChanged(endpoint, doorOpen, items)),
                new PresenceListener() {
                    @Override
                    public void onlineChanged(String endpoint, CallBoxPresence.Presence presence) {
                        presenceListeners.orderedStream().forEach(listener -> listener.onlineChanged(endpoint, presence));
                    }

                    @Override
                    public void offlineLasting(String endpoint, CallBoxPresence.Presence presence) {
                        presenceListeners.orderedStream()
                                .forEach(listener -> listener.offlineLasting(endpoint, presence));
                    }
                },
                (endpoint, before, after) -> conditionListeners.orderedStream()
                        .forEach(listener -> listener.conditionChanged(endpoint, before, after)),
                (endpoint, before, after) -> clockListeners.orderedStream()
                        .forEach(listener -> listener.clockMeasured(endpoint, before, after)));
    }
}
