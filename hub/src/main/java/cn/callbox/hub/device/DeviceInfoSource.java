package cn.callbox.hub.device;

import java.util.Optional;

/**
 * The {@link DeviceInfo} of call boxes, read from the boxes and cached: read when a box registers and again on request
 * when the cached values are older than a minute. Thread-safe.
 */
public interface DeviceInfoSource {

    /** Never read anything. */
    DeviceInfoSource NONE = endpoint -> Optional.empty();

    /**
     * The last values read from the box. When they are older than a minute and the box is registered, asks the box
     * again and waits briefly (about 2 s) for the answer; a box that is offline or slow gets its last values.
     *
     * @return empty when the box was never read since the hub started
     */
    Optional<DeviceInfo> deviceInfo(String endpoint);
}
