package cn.callbox.hub.firmware;

import java.time.Clock;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.PeriodicTicker;

/**
 * Wires firmware roll-outs: the JDBC store, the {@link RolloutEngine} on its ticker (every
 * {@code callbox.firmware.tick}) and the {@link RolloutService} of the REST API. The boxes are reached through the
 * {@link FirmwareDevices} bean (LwM2M), the packages through the {@link FirmwareCatalog} bean; both, the registry and
 * the console feed are looked up when first needed, so a context without them (a test slice) still starts: without
 * devices every box looks offline.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FirmwareProperties.class)
class RolloutConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutConfiguration.class);

    @Bean
    JdbcRolloutStore rolloutStore(DataSource dataSource, PlatformTransactionManager transactions) {
        return new JdbcRolloutStore(JdbcClient.create(dataSource), new TransactionTemplate(transactions));
    }

    @Bean
    RolloutEngine rolloutEngine(JdbcRolloutStore store, ObjectProvider<FirmwareDevices> devices,
            FirmwareProperties settings, AuditTrail audit, ObjectProvider<ConsoleFeed> feed,
            ObjectProvider<Clock> clock) {
        return new RolloutEngine(store, new LateDevices(devices), settings, audit, feed.getIfAvailable(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    RolloutService rolloutService(JdbcRolloutStore store, RolloutEngine engine, ObjectProvider<FirmwareCatalog> catalog,
            ObjectProvider<TownshipDirectory> directory, FirmwareProperties settings, AuditTrail audit,
            ObjectProvider<ConsoleFeed> feed, ObjectProvider<Clock> clock) {
        FirmwareCatalog packages = id -> catalog.getObject().find(id);
        return new RolloutService(store, engine, packages, directory::getObject, settings, audit,
                feed.getIfAvailable(), clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PeriodicTicker rolloutTicker(RolloutEngine engine, FirmwareProperties settings) {
        return PeriodicTicker.every("firmware-rollouts", settings.tick(), engine::tick);
    }

    /** The {@link FirmwareDevices} bean, looked up at each call; without one every box is offline. */
    private static final class LateDevices implements FirmwareDevices {

        private final ObjectProvider<FirmwareDevices> devices;
        private volatile boolean warned;

        LateDevices(ObjectProvider<FirmwareDevices> devices) {
            this.devices = devices;
        }

        private Optional<FirmwareDevices> get() {
            FirmwareDevices found = devices.getIfAvailable();
            if (found == null && !warned) {
                warned = true;
                LOG.warn("No LwM2M firmware port in this hub: roll-outs see every box offline");
            }
            return Optional.ofNullable(found);
        }

        @Override
        public boolean online(String endpoint) {
            return get().map(d -> d.online(endpoint)).orElse(false);
        }

        @Override
        public Optional<Status> status(String endpoint) {
            return get().flatMap(d -> d.status(endpoint));
        }

        @Override
        public boolean writePackageUri(String endpoint, String uri) {
            return get().map(d -> d.writePackageUri(endpoint, uri)).orElse(false);
        }

        @Override
        public boolean executeUpdate(String endpoint) {
            return get().map(d -> d.executeUpdate(endpoint)).orElse(false);
        }
    }
}
