package cn.callbox.hub.device;

import cn.callbox.protocol.mqtt.CallBoxStatus;

/** Publishes a call box's status, retained, on {@code callbox/<township>/callboxes/<endpoint>/status}. */
public interface CallBoxStatusPublisher {

    void publishStatus(String endpoint, CallBoxStatus status);
}
