package cn.callbox.hub.lwm2m;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Firmware roll-outs reach the boxes' object 5 through the LwM2M server ({@link LeshanFirmwareDevices}). */
@Configuration(proxyBeanMethods = false)
class FirmwareDevicesConfiguration {

    @Bean
    LeshanFirmwareDevices firmwareDevices(LeshanServerLifecycle leshanServer) {
        return new LeshanFirmwareDevices(leshanServer, LeshanServerLifecycle.REQUEST_TIMEOUT_MILLIS);
    }
}
