package cn.callbox.device.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.config.DeviceConfigKeys;
import cn.callbox.protocol.config.HubCertificates;
import cn.callbox.protocol.firmware.FirmwareKeys;

/**
 * Reads a box's configuration file: Java properties in UTF-8 with the keys of {@link DeviceConfigKeys} plus the
 * edge-only keys below. Required: {@code endpoint}, {@code hub.uri}, {@code location.lat}, {@code location.lon},
 * {@code place}, and for a {@code coaps://} hub {@code psk.identity} and {@code psk.key}. Everything else has a
 * default:
 * <ul>
 * <li>{@code dev.allow-insecure} = false; {@code outbox.dir} = {@code outbox} (relative paths are relative to the
 * folder of the configuration file);</li>
 * <li>{@code locker.slots} = {@code whistle:3,baton:3,helmet:3,flashlight:1,loudspeaker:1,steel-fork:1,shield:2};</li>
 * <li>{@code pin.panic-button}, {@code pin.button-lamp}, {@code pin.siren-relay}, {@code pin.locker-door},
 * {@code pin.tamper}, {@code pin.slot.<kind>.<n>}, {@code pin.ac-ok}: see {@link Pins#DEFAULT} and {@code hardware-docs/pinout.md};
 * slots outside the default layout have no default pin and must be given;</li>
 * <li>{@code button.debounce-ms} = 50, {@code siren.max-on-seconds} = 300, {@code siren.alarm-seconds} = 180,
 * {@code lwm2m.lifetime-seconds} = 300, {@code lwm2m.heartbeat-seconds} = 20 (5 up to half the lifetime),
 * {@code locker.debounce-ms} = 200;</li>
 * <li>{@code power.battery-file}: a file holding the battery or UPS charge in percent, as Linux's power-supply class
 * gives it ({@code /sys/class/power_supply/<name>/capacity}); unset = no battery gauge (relative paths are relative to
 * the folder of the configuration file);</li>
 * <li>{@code power.battery-millivolts-file}: instead, a file holding the 12.8 V LiFePO4 battery's voltage in
 * millivolts, as the INA219 monitor's Linux driver gives it ({@code /sys/class/hwmon/hwmon<N>/in1_input}); the charge
 * is estimated from it;</li>
 * <li>{@code modem.signal-command}: a shell command that prints the cellular modem's signal strength in dBm (the
 * first number of its output counts, e.g. from ModemManager's {@code mmcli}); unset = no modem;</li>
 * <li>{@code firmware.trusted-keys}: Ed25519 public keys (base64, comma-separated, see {@link FirmwareKeys}) a firmware
 * package must be signed with to be installed over the air; unset = every package is refused;</li>
 * <li>{@code firmware.confirm-after-seconds} = 600 (5 to 86400): how long a firmware installed over the air must stay
 * registered with the hub, its heartbeats getting through, before it is kept; the Debian package's wrapper reads the
 * same key for its rollback deadline.</li>
 * </ul>
 * Any problem is reported as a {@link ConfigException} naming the key. Stateless and thread-safe.
 */
public final class DeviceConfigLoader {

    public static final String LOCKER_SLOTS = "locker.slots";
    public static final String DEBOUNCE_MS = "button.debounce-ms";
    public static final String SIREN_MAX_ON_SECONDS = "siren.max-on-seconds";
    public static final String SIREN_ALARM_SECONDS = "siren.alarm-seconds";
    public static final String LIFETIME_SECONDS = "lwm2m.lifetime-seconds";
    public static final String HEARTBEAT_SECONDS = "lwm2m.heartbeat-seconds";
    public static final String SLOT_DEBOUNCE_MS = "locker.debounce-ms";
    public static final String BATTERY_FILE = "power.battery-file";
    public static final String BATTERY_MILLIVOLTS_FILE = "power.battery-millivolts-file";
    public static final String MODEM_SIGNAL_COMMAND = "modem.signal-command";
    public static final String FIRMWARE_CONFIRM_AFTER_SECONDS = "firmware.confirm-after-seconds";

    static final int MIN_KEY_BYTES = 16;
    private static final int MAX_BCM_PIN = 27;

    private DeviceConfigLoader() {
    }

    public static DeviceConfig load(Path file) throws ConfigException {
        Properties properties = new Properties();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(null, "config file " + file + " does not exist or is not a file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage());
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(properties, folder);
    }

    /** Validates already loaded properties; {@code folder} anchors a relative {@code outbox.dir}. */
    public static DeviceConfig parse(Properties properties, Path folder) throws ConfigException {
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));

        String endpoint = required(values, DeviceConfigKeys.ENDPOINT);
        if (!endpoint.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException(DeviceConfigKeys.ENDPOINT,
                    "must be 1-64 characters of letters, digits, '.', '_' or '-', got '" + endpoint + "'");
        }
        boolean allowInsecure = bool(values, DeviceConfigKeys.ALLOW_INSECURE, false);
        URI hubUri = hubUri(values, allowInsecure);
        boolean secure = "coaps".equalsIgnoreCase(hubUri.getScheme());
        String identity = null;
        byte[] key = null;
        if (secure || values.containsKey(DeviceConfigKeys.PSK_KEY)) {
            identity = required(values, DeviceConfigKeys.PSK_IDENTITY);
            key = pskKey(required(values, DeviceConfigKeys.PSK_KEY));
        }
        double lat = decimal(values, DeviceConfigKeys.LATITUDE, -90, 90);
        double lon = decimal(values, DeviceConfigKeys.LONGITUDE, -180, 180);
        String place = required(values, DeviceConfigKeys.PLACE);
        Path outbox = outboxDir(values, folder);
        Pins pins = pins(values);
        long lifetime = integer(values, LIFETIME_SECONDS, 300, 30, 86_400);
        DeviceConfig.Timing timing = new DeviceConfig.Timing(
                Duration.ofMillis(integer(values, DEBOUNCE_MS, 50, 0, 5_000)),
                Duration.ofSeconds(integer(values, SIREN_MAX_ON_SECONDS, 300, 1, 3_600)),
                Duration.ofSeconds(integer(values, SIREN_ALARM_SECONDS, 180, 1, 3_600)),
                Duration.ofSeconds(lifetime),
                // at least two heartbeats per lifetime, so one lost update never ends the registration
                Duration.ofSeconds(integer(values, HEARTBEAT_SECONDS, Math.min(20, lifetime / 2), 5, lifetime / 2)),
                Duration.ofMillis(integer(values, SLOT_DEBOUNCE_MS, 200, 0, 5_000)),
                Duration.ofSeconds(integer(values, FIRMWARE_CONFIRM_AFTER_SECONDS, 600, 5, 86_400)));
        Path batteryFile = optionalPath(values, BATTERY_FILE, folder);
        Path batteryMillivolts = optionalPath(values, BATTERY_MILLIVOLTS_FILE, folder);
        if (batteryFile != null && batteryMillivolts != null) {
            throw new ConfigException(BATTERY_MILLIVOLTS_FILE, "give either " + BATTERY_FILE + " or "
                    + BATTERY_MILLIVOLTS_FILE + ", not both");
        }
        DeviceConfig.Health health = new DeviceConfig.Health(batteryFile, batteryMillivolts,
                emptyToNull(values.get(MODEM_SIGNAL_COMMAND)));
        return new DeviceConfig(endpoint, hubUri, identity, key, allowInsecure, lat, lon, place, outbox, pins, timing,
                health, trustedKeys(values), downloadCas(values));
    }

    private static List<X509Certificate> downloadCas(Map<String, String> values) throws ConfigException {
        try {
            return HubCertificates.fromBase64List(values.get(DeviceConfigKeys.FIRMWARE_DOWNLOAD_CA));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DeviceConfigKeys.FIRMWARE_DOWNLOAD_CA, e.getMessage());
        }
    }

    private static List<PublicKey> trustedKeys(Map<String, String> values) throws ConfigException {
        try {
            return FirmwareKeys.publicKeys(values.get(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS, e.getMessage());
        }
    }

    private static String required(Map<String, String> values, String key) throws ConfigException {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(key, "missing (required)");
        }
        return value;
    }

    private static boolean bool(Map<String, String> values, String key, boolean fallback) throws ConfigException {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigException(key, "must be true or false, got '" + value + "'");
    }

    private static URI hubUri(Map<String, String> values, boolean allowInsecure) throws ConfigException {
        String text = required(values, DeviceConfigKeys.HUB_URI);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(DeviceConfigKeys.HUB_URI, "not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || uri.getPort() <= 0) {
            throw new ConfigException(DeviceConfigKeys.HUB_URI, "must be coaps://host:port, got '" + text + "'");
        }
        if (scheme.equals("coap")) {
            if (!allowInsecure) {
                throw new ConfigException(DeviceConfigKeys.HUB_URI,
                        "plain coap:// needs " + DeviceConfigKeys.ALLOW_INSECURE + "=true (development only)");
            }
        } else if (!scheme.equals("coaps")) {
            throw new ConfigException(DeviceConfigKeys.HUB_URI, "scheme must be coaps (or coap), got '" + text + "'");
        }
        return uri;
    }

    private static byte[] pskKey(String hex) throws ConfigException {
        byte[] key;
        try {
            key = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DeviceConfigKeys.PSK_KEY, "must be hexadecimal (an even number of 0-9a-f)");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new ConfigException(DeviceConfigKeys.PSK_KEY,
                    "too short: " + key.length + " bytes, at least " + MIN_KEY_BYTES + " needed");
        }
        return key;
    }

    private static double decimal(Map<String, String> values, String key, double min, double max)
            throws ConfigException {
        String text = required(values, key);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a number, got '" + text + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + text);
        }
        return value;
    }

    private static long integer(Map<String, String> values, String key, long fallback, long min, long max)
            throws ConfigException {
        String text = values.get(key);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static Path outboxDir(Map<String, String> values, Path folder) throws ConfigException {
        String text = values.getOrDefault(DeviceConfigKeys.OUTBOX_DIR, "outbox");
        if (text.isEmpty()) {
            text = "outbox";
        }
        try {
            Path path = Path.of(text);
            return (path.isAbsolute() ? path : folder.resolve(path)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(DeviceConfigKeys.OUTBOX_DIR, "not a valid path: " + e.getMessage());
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Path optionalPath(Map<String, String> values, String key, Path folder) throws ConfigException {
        String text = emptyToNull(values.get(key));
        if (text == null) {
            return null;
        }
        try {
            Path path = Path.of(text);
            return (path.isAbsolute() ? path : folder.resolve(path)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(key, "not a valid path: " + e.getMessage());
        }
    }

    private static Pins pins(Map<String, String> values) throws ConfigException {
        Map<ItemKind, Integer> layout = layout(values);
        Map<String, Integer> used = new HashMap<>();
        int panic = pin(values, Pins.PANIC_BUTTON, Pins.DEFAULT.panicButton(), used);
        int lamp = pin(values, Pins.BUTTON_LAMP, Pins.DEFAULT.buttonLamp(), used);
        int siren = pin(values, Pins.SIREN_RELAY, Pins.DEFAULT.sirenRelay(), used);
        int door = pin(values, Pins.LOCKER_DOOR, Pins.DEFAULT.lockerDoor(), used);
        int tamper = pin(values, Pins.TAMPER, Pins.DEFAULT.tamper(), used);
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<ItemKind, Integer> entry : layout.entrySet()) {
            for (int number = 1; number <= entry.getValue(); number++) {
                String key = Pins.slotKey(entry.getKey(), number);
                slots.add(new Slot(entry.getKey(), number, pin(values, key, Pins.DEFAULT_SLOT_PINS.get(key), used)));
            }
        }
        int acOk = acOkPin(values, used);
        Pins pins = new Pins(panic, lamp, siren, door, tamper, slots, acOk);
        // a pin key that names nothing is almost always a typo that would leave a switch unread
        for (String key : values.keySet()) {
            boolean acOkNone = key.equals(Pins.AC_OK) && pins.acOk() == Pins.NONE;
            if (key.startsWith(DeviceConfigKeys.PIN_PREFIX) && !acOkNone && !pins.byKey().containsKey(key)) {
                throw new ConfigException(key, key.startsWith(Pins.SLOT_PREFIX)
                        ? "no such slot in " + LOCKER_SLOTS + " (or a misspelt kind)"
                        : "unknown pin key");
            }
        }
        return pins;
    }

    /**
     * {@code pin.ac-ok}: {@code none} for a box without the power supply's AC-OK signal. Not given, the default pin is
     * used unless a slot of an older configuration already takes it: that box keeps starting, without the input, rather
     * than refuse to start after a firmware update.
     */
    private static int acOkPin(Map<String, String> values, Map<String, Integer> used) throws ConfigException {
        String text = values.get(Pins.AC_OK);
        if ("none".equalsIgnoreCase(text)) {
            return Pins.NONE;
        }
        if ((text == null || text.isEmpty()) && used.containsValue(Pins.DEFAULT.acOk())) {
            return Pins.NONE;
        }
        return pin(values, Pins.AC_OK, Pins.DEFAULT.acOk(), used);
    }

    private static int pin(Map<String, String> values, String key, Integer fallback, Map<String, Integer> used)
            throws ConfigException {
        String text = values.get(key);
        int pin;
        if (text == null || text.isEmpty()) {
            if (fallback == null) {
                throw new ConfigException(key, "missing: this slot has no default pin, give its BCM GPIO number");
            }
            pin = fallback;
        } else {
            try {
                pin = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a BCM GPIO number 0-" + MAX_BCM_PIN + ", got '" + text + "'");
            }
            if (pin < 0 || pin > MAX_BCM_PIN) {
                throw new ConfigException(key, "must be a BCM GPIO number 0-" + MAX_BCM_PIN + ", got " + pin);
            }
        }
        for (Map.Entry<String, Integer> other : used.entrySet()) {
            if (other.getValue() == pin) {
                throw new ConfigException(key, "duplicate pin: GPIO " + pin + " is already used by " + other.getKey());
            }
        }
        used.put(key, pin);
        return pin;
    }

    private static Map<ItemKind, Integer> layout(Map<String, String> values) throws ConfigException {
        String text = values.get(LOCKER_SLOTS);
        if (text == null || text.isEmpty()) {
            return Pins.DEFAULT_LAYOUT;
        }
        Map<ItemKind, Integer> layout = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kindAndCount = part.trim().split(":");
            if (kindAndCount.length != 2) {
                throw new ConfigException(LOCKER_SLOTS, "entries must be kind:count, got '" + part.trim() + "'");
            }
            ItemKind kind = WireName.parse(ItemKind.class, kindAndCount[0]).orElseThrow(
                    () -> new ConfigException(LOCKER_SLOTS, "unknown item kind '" + kindAndCount[0].trim() + "'"));
            int count;
            try {
                count = Integer.parseInt(kindAndCount[1].trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(LOCKER_SLOTS, "count of " + kind.wireName() + " must be a whole number");
            }
            if (count < 1 || count > 16) {
                throw new ConfigException(LOCKER_SLOTS, "count of " + kind.wireName() + " must be 1-16, got " + count);
            }
            if (layout.put(kind, count) != null) {
                throw new ConfigException(LOCKER_SLOTS, "item kind " + kind.wireName() + " is listed twice");
            }
        }
        return layout;
    }
}
