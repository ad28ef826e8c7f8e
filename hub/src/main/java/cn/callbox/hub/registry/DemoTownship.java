package cn.callbox.hub.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.firmware.FirmwareProperties;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.system.SecretFiles;
import cn.callbox.protocol.config.DeviceConfigKeys;

/**
 * The demo profile ({@code spring.profiles.active=demo}).
 * <ul>
 * <li>Once every singleton exists (the database migrated, before the LwM2M server starts): seeds
 * {@link DemoTownshipPlan the demo township} unless it exists, with a random 16-byte key per box and a random MQTT
 * password per member, whose plaintext is written once to {@code <data-dir>/demo-member-credentials.properties}
 * (mode 600, {@code memberId=password}). Then, at every start, gives each demo unit without a weekly duty pattern
 * the {@link DemoTownshipPlan#weeklyPattern plan's pattern} (a demo database from before rosters had 30 days of
 * per-day duty), so that a demo keeps valid duty however long it runs.</li>
 * <li>When the application is ready (the LwM2M server has its port): writes each demo box's device config to
 * {@code <data-dir>/demo/<endpoint>.properties} (mode 600: they hold keys), rewritten at every start because the
 * port may change; with {@code callbox.firmware.trusted-keys} set, the configs trust the same firmware keys.</li>
 * </ul>
 */
@Component
@Profile("demo")
class DemoTownship implements SmartInitializingSingleton {

    /** Beside the data dir's other secrets, not in {@code demo/}: every {@code *.properties} there is a box config. */
    static final String CREDENTIALS_FILE = "demo-member-credentials.properties";

    private static final Logger LOG = LoggerFactory.getLogger(DemoTownship.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RegistryService registry;
    private final DutyRosterService roster;
    private final TownshipDirectory directory;
    private final CallBoxKeys keys;
    private final DeviceEndpoint deviceEndpoint;
    private final PasswordEncoder encoder;
    private final TransactionTemplate transactions;
    private final Path demoDir;
    private final FirmwareProperties firmware;

    DemoTownship(RegistryService registry, DutyRosterService roster, TownshipDirectory directory, CallBoxKeys keys,
            DeviceEndpoint deviceEndpoint, PasswordEncoder encoder, TransactionTemplate transactions,
            HubProperties properties, FirmwareProperties firmware) {
        this.registry = registry;
        this.roster = roster;
        this.directory = directory;
        this.keys = keys;
        this.deviceEndpoint = deviceEndpoint;
        this.encoder = encoder;
        this.transactions = transactions;
        this.demoDir = properties.dataDir().toAbsolutePath().normalize().resolve("demo");
        this.firmware = firmware;
        if (!DemoTownshipPlan.TOWNSHIP.equals(properties.township())) {
            LOG.warn("The demo township is '{}' but callbox.township is '{}': topics will not match the demo",
                    DemoTownshipPlan.TOWNSHIP, properties.township());
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        seedIfAbsent();
        givePatterns();
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        try {
            writeBoxConfigs(deviceEndpoint.secureUri());
        } catch (RuntimeException e) {
            LOG.error("Demo box configs not written: {}", e.toString(), e);
        }
    }

    /**
     * Seeds the township unless it exists.
     *
     * @return true when it was seeded now
     */
    boolean seedIfAbsent() {
        if (registry.townshipExists(DemoTownshipPlan.TOWNSHIP)) {
            LOG.info("Demo township '{}' exists; not seeded again", DemoTownshipPlan.TOWNSHIP);
            return false;
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        Map<String, String> hashes = new HashMap<>();
        for (String member : DemoTownshipPlan.memberIds()) {
            String password = randomPassword();
            passwords.put(member, password);
            hashes.put(member, encoder.encode(password));
        }
        TownshipSeed seed = DemoTownshipPlan.seed(hashes::get, endpoint -> randomKey());
        Path credentials = demoDir.getParent().resolve(CREDENTIALS_FILE);
        try {
            transactions.executeWithoutResult(status -> {
                registry.importTownship(seed);
                // inside the transaction: no credentials file, no members; no members, no stale file
                writeCredentials(credentials, passwords);
            });
        } catch (RuntimeException e) {
            deleteQuietly(credentials);
            throw e;
        }
        LOG.info("Demo township '{}' seeded; member MQTT passwords are in {} (readable by the owner only)",
                DemoTownshipPlan.TOWNSHIP, credentials);
        return true;
    }

    /**
     * Gives each demo unit that has no weekly duty pattern the plan's.
     *
     * @return how many units got one now
     */
    int givePatterns() {
        int given = 0;
        for (String unitId : DemoTownshipPlan.unitIds()) {
            if (directory.unit(unitId).isEmpty()) {
                LOG.warn("Demo unit {} is gone from the registry; no duty pattern given", unitId);
                continue;
            }
            if (!roster.roster(unitId).pattern().isEmpty()) {
                continue;
            }
            try {
                roster.replacePattern(unitId, DemoTownshipPlan.weeklyPattern(unitId));
                given++;
            } catch (RegistryRuleException e) {
                LOG.warn("Demo duty pattern not given: {}", e.getMessage());
            }
        }
        if (given > 0) {
            LOG.info("Gave {} demo units their weekly duty pattern", given);
        }
        return given;
    }

    /**
     * Writes the config of every demo box the registry knows.
     *
     * @param hubUri the hub's DTLS endpoint; a wildcard host is replaced by the loopback address
     * @return how many configs were written
     */
    int writeBoxConfigs(URI hubUri) {
        URI reachable = reachable(hubUri);
        int written = 0;
        for (String endpoint : DemoTownshipPlan.endpoints()) {
            CallBoxInfo box = directory.callBox(endpoint).orElse(null);
            CallBoxKey key = keys.byEndpoint(endpoint).orElse(null);
            if (box == null || key == null) {
                LOG.warn("Demo box {} is not in the registry; no config written", endpoint);
                continue;
            }
            Properties config = new Properties();
            config.setProperty(DeviceConfigKeys.ENDPOINT, endpoint);
            config.setProperty(DeviceConfigKeys.HUB_URI, reachable.toString());
            config.setProperty(DeviceConfigKeys.PSK_IDENTITY, key.pskIdentity());
            config.setProperty(DeviceConfigKeys.PSK_KEY, HexFormat.of().formatHex(key.pskKey()));
            config.setProperty(DeviceConfigKeys.LATITUDE, Double.toString(box.lat()));
            config.setProperty(DeviceConfigKeys.LONGITUDE, Double.toString(box.lon()));
            config.setProperty(DeviceConfigKeys.PLACE, box.place());
            config.setProperty(DeviceConfigKeys.OUTBOX_DIR, demoDir.resolve("outbox").resolve(endpoint).toString());
            if (!firmware.trustedKeys().isEmpty()) {
                config.setProperty(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS, String.join(",",
                        firmware.trustedKeys().stream().map(String::strip).toList()));
            }
            Path file = demoDir.resolve(endpoint + ".properties");
            try {
                SecretFiles.replace(file, store(config, "Call box " + endpoint + " (demo township "
                        + DemoTownshipPlan.TOWNSHIP + "), written by the hub"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            written++;
        }
        LOG.info("Wrote {} demo box configs to {} (hub at {})", written, demoDir, reachable);
        return written;
    }

    /** A box cannot dial 0.0.0.0 or [::]: demo boxes run on this machine, so they get the loopback address. */
    static URI reachable(URI hubUri) {
        String host = hubUri.getHost();
        try {
            if (host != null && InetAddress.getByName(host).isAnyLocalAddress()) {
                return new URI(hubUri.getScheme(), null, "127.0.0.1", hubUri.getPort(), hubUri.getPath(), null, null);
            }
        } catch (UnknownHostException | URISyntaxException e) {
            LOG.warn("Cannot check the hub address {}: {}", hubUri, e.toString());
        }
        return hubUri;
    }

    private static void writeCredentials(Path file, Map<String, String> passwords) {
        Properties properties = new Properties();
        properties.putAll(passwords);
        try {
            SecretFiles.replace(file, store(properties, "Demo members' MQTT passwords (memberId=password)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Properties as bytes; {@link Properties#store(java.io.OutputStream, String)} escapes non-ASCII as \\uXXXX. */
    private static byte[] store(Properties properties, String comment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            properties.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return key;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not remove {}", file, e);
        }
    }
}
