package cn.callbox.hub.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.CallBoxStatusPublisher;
import cn.callbox.hub.device.PresenceUpdates;
import cn.callbox.hub.system.DatabaseWatch;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.system.PeriodicTicker;
import cn.callbox.protocol.mqtt.CallBoxStatus;

/**
 * The registry over the hub's database: read side, keys (encrypted at rest), MQTT accounts, the write side, duty
 * rosters, enrolment of call boxes and the registry import.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    JdbcTownshipDirectory townshipDirectory(JdbcClient jdbc) {
        return new JdbcTownshipDirectory(jdbc);
    }

    /** The directory everyone uses: the database's answers, the last known ones while it is down (the alarm path). */
    @Bean
    @Primary
    LastKnownTownshipDirectory lastKnownTownshipDirectory(JdbcTownshipDirectory database, DatabaseWatch watch,
            Clock clock) {
        return new LastKnownTownshipDirectory(database, watch, () -> LocalDate.now(clock.withZone(DutyRosterService.TOWNSHIP_ZONE)));
    }

    /** The keys the LwM2M server uses: the database's, the last known ones while it is down (DTLS handshakes). */
    @Bean
    @Primary
    LastKnownCallBoxKeys lastKnownCallBoxKeys(JdbcCallBoxKeys database, DatabaseWatch watch) {
        return new LastKnownCallBoxKeys(database, database::all, watch);
    }

    /** Fills the memory of the registry at start and keeps it current every half minute. */
    @Bean
    PeriodicTicker registryMemory(LastKnownTownshipDirectory directory, LastKnownCallBoxKeys keys) {
        Runnable reload = () -> {
            directory.reload();
            keys.reload();
        };
        return new PeriodicTicker("registry-memory", Duration.ofSeconds(30), reload, reload);
    }

    /**
     * The key-encryption key ({@link KeyEncryption#load}); a new one is generated only while no key is sealed yet.
     * The database is migrated before: this bean needs the {@link JdbcClient}.
     */
    @Bean
    KeyEncryption keyEncryption(JdbcClient jdbc, HubProperties properties, Environment environment) {
        return KeyEncryption.load(environment.getProperty(KeyEncryption.ENVIRONMENT), properties.dataDir(),
                !JdbcCallBoxKeys.anySealed(jdbc));
    }

    /** Refuses to start when a stored key does not open (wrong key-encryption key); seals plain keys from before. */
    @Bean
    JdbcCallBoxKeys callBoxKeys(JdbcClient jdbc, KeyEncryption encryption) {
        JdbcCallBoxKeys keys = new JdbcCallBoxKeys(jdbc, encryption);
        try {
            keys.sealPlainKeys();
        } catch (KeyEncryption.WrongKeyException e) {
            throw new IllegalStateException("The hub does not start: " + e.getMessage(), e);
        }
        return keys;
    }

    @Bean
    RegistryMqttAccounts mqttAccounts(JdbcClient jdbc, PasswordEncoder encoder) {
        return new RegistryMqttAccounts(jdbc, encoder);
    }

    /** Listeners are looked up at each change: readiness beans may depend on the directory, created before them. */
    @Bean
    DutyRosterService dutyRosterService(JdbcClient jdbc, TransactionTemplate transactions,
            ObjectProvider<DutyListener> listeners, Clock clock) {
        return new DutyRosterService(jdbc, transactions, () -> listeners.orderedStream().toList(), clock);
    }

    @Bean
    RegistryService registryService(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
            KeyEncryption encryption) {
        return new RegistryService(jdbc, transactions, clock, encryption);
    }

    /**
     * The LwM2M server's sessions and the status publishers are looked up at each change: they are absent in slices
     * without LwM2M or MQTT, and the LwM2M server itself depends on the registry's keys.
     */
    @Bean
    CallBoxEnrolment callBoxEnrolment(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
            KeyEncryption encryption, HubProperties properties, ObjectProvider<CallBoxSessions> sessions,
            ObjectProvider<PresenceUpdates> presence, ObjectProvider<CallBoxPresence> presenceView,
            ObjectProvider<CallBoxStatusPublisher> publishers) {
        CallBoxSessions lazySessions = (endpoint, identity) -> sessions.getIfUnique(() -> CallBoxSessions.NONE)
                .drop(endpoint, identity);
        return new CallBoxEnrolment(jdbc, transactions, clock, encryption, properties.township(), lazySessions,
                endpoint -> {
                    presence.ifUnique(p -> p.offline(endpoint));
                    // published even when presence had nothing to change (a box not seen since the hub started)
                    CallBoxPresence.Presence last = presenceView
                            .getIfUnique(() -> e -> CallBoxPresence.Presence.UNKNOWN).presenceOf(endpoint);
                    CallBoxStatus offline = new CallBoxStatus(false,
                            last.lastSeen() == null ? null : last.lastSeen().toString(), false, null);
                    // offline for whoever watches now, then no retained status left for a box that is gone
                    publishers.orderedStream().forEach(p -> {
                        p.publishStatus(endpoint, offline);
                        p.clearStatus(endpoint);
                    });
                });
    }

    @Bean
    RegistryImport registryImport(JdbcClient jdbc, TransactionTemplate transactions, DutyRosterService roster,
            HubProperties properties) {
        return new RegistryImport(jdbc, transactions, roster, properties.township());
    }
}
