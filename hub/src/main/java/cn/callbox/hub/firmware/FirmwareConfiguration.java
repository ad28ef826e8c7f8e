package cn.callbox.hub.firmware;

import java.security.SecureRandom;
import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.callbox.hub.system.HubProperties;

/**
 * Wires the firmware packages the hub holds: {@link FirmwareStore} over the hub database and
 * {@code <data-dir>/firmware/}, which is also the {@link FirmwareCatalog} roll-outs find packages in. The trusted
 * keys are {@code callbox.firmware.trusted-keys} ({@link FirmwareProperties}). Roll-outs are wired apart.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FirmwareProperties.class)
class FirmwareConfiguration {

    /** The folder under the data dir that holds the packages. */
    static final String FOLDER = "firmware";

    @Bean
    FirmwareStore firmwareStore(DataSource dataSource, HubProperties hub, FirmwareProperties firmware,
            ObjectProvider<Clock> clock) {
        FirmwareStore store = new FirmwareStore(JdbcClient.create(dataSource), hub.dataDir().resolve(FOLDER),
                firmware::publicKeys, FirmwareStore.MAX_UPLOAD, clock.getIfAvailable(Clock::systemUTC),
                new SecureRandom());
        store.removeLeftovers();
        return store;
    }
}
