package cn.callbox.hub.history;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.history.influx.InfluxReadinessHistory;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.HubProperties;

/**
 * Chooses the history store: InfluxDB (buffered on disk under {@code <dataDir>/history/buffer}) when
 * {@code callbox.influx.url} is set, else the hub's database. Wires the recorder that feeds it as a readiness, locker
 * and presence listener.
 */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryConfiguration.class);
    /** How often the disk buffer is tried again while InfluxDB is away. */
    private static final Duration REPLAY_INTERVAL = Duration.ofSeconds(1);

    /** Closed after the recorder (which depends on it) has stored what was queued. */
    @Bean
    ReadinessHistory readinessHistory(HubProperties properties, JdbcClient jdbc, TransactionTemplate transactions) {
        String url = properties.influx().url();
        if (url == null || url.isBlank()) {
            LOG.info("Readiness history goes to the database (callbox.influx.url is not set)");
            return new JdbcReadinessHistory(jdbc, transactions);
        }
        LOG.info("Readiness history goes to InfluxDB {} database {}", url, properties.influx().database());
        return new InfluxReadinessHistory(url, properties.influx().database(),
                properties.dataDir().resolve("history").resolve("buffer"), REPLAY_INTERVAL);
    }

    @Bean
    HistoryRecorder historyRecorder(ReadinessHistory history, TownshipDirectory directory, HubProperties properties,
            ObjectProvider<Clock> clock) {
        return new HistoryRecorder(history, directory, properties.township(), clock.getIfAvailable(Clock::systemUTC));
    }
}
