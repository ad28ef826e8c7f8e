package cn.callbox.hub.device;

import java.time.Instant;

/**
 * What a call box says about itself (LwM2M object 3 Device and, where a modem is fitted, object 4 Connectivity
 * Monitoring), as last read. Any field but {@code readAt} may be null: the box does not serve it.
 *
 * @param firmware 3/0/3 firmware version
 * @param battery 3/0/9 battery level, percent
 * @param signal 4/0/2 radio signal strength, dBm
 * @param manufacturer 3/0/0
 * @param model 3/0/1 model number
 * @param serial 3/0/2 serial number
 * @param readAt when the values were read
 */
public record DeviceInfo(String firmware, Integer battery, Integer signal, String manufacturer, String model,
        String serial, Instant readAt) {
}
