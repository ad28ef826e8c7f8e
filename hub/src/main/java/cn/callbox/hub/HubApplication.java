package cn.callbox.hub;

import java.util.Optional;

import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import cn.callbox.hub.system.PortInUseException;
import cn.callbox.hub.system.StartupFailures;

/** The township hub: wiring only. Each feature package configures itself. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {

    public static void main(String[] args) {
        try {
            SpringApplication.run(HubApplication.class, args);
        } catch (RuntimeException | Error failure) {
            Optional<PortInUseException> taken = StartupFailures.portInUse(failure);
            if (taken.isEmpty()) {
                throw failure;
            }
            // one line a township's installer can act on; the unit does not restart this exit code
            LoggerFactory.getLogger(HubApplication.class).error("Hub not started: {}", taken.get().getMessage());
            System.exit(StartupFailures.PORT_IN_USE);
        }
    }
}
