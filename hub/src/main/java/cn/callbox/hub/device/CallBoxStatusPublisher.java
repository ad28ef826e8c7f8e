package cn.callbox.hub.device;

import cn.callbox.protocol.mqtt.CallBoxStatus;

/** Publishes a call box's status, retained, on {@code callbox/<township>/callboxes/<endpoint>/status}. */
public interface CallBoxStatusPublisher {

    void publishStatus(String endpoint, CallBoxStatus status);

    /**
     * Forgets a retired box's status: late subscribers no longer get it (MQTT: an empty retained message). Live
     * subscribers get the offline status first from {@link #publishStatus}.
     */
    default void clearStatus(String endpoint) {
    }
}
