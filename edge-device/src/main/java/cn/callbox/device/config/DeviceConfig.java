package cn.callbox.device.config;

import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Everything a box needs to run, validated: see {@link DeviceConfigLoader} for the file format, the defaults and the
 * rules. Instances are immutable ({@link #pskKey()} returns a copy).
 *
 * @param endpoint LwM2M endpoint name
 * @param hubUri {@code coaps://} (or {@code coap://} when {@code allowInsecure}) URI of the hub's LwM2M server
 * @param pskIdentity DTLS PSK identity; null only for an insecure {@code coap://} hub
 * @param pskKey DTLS pre-shared key, at least 16 bytes; null only for an insecure {@code coap://} hub
 * @param allowInsecure whether plain CoAP is allowed (development only)
 * @param latitude degrees, -90..90
 * @param longitude degrees, -180..180
 * @param place zh-CN name of the place, said in announcements
 * @param outboxDir folder of the alarm outbox and the press counter (absolute)
 * @param pins the pin map
 * @param timing debounce, siren and registration timing
 * @param health where the battery level and the modem's signal come from
 * @param firmwareTrustedKeys Ed25519 keys a firmware package must be signed with to be installed over the air; empty:
 *        every package is refused
 * @param firmwareDownloadCas certificates trusted for HTTPS firmware downloads besides the system's CAs (a hub's
 *        self-signed certificate or the township's CA)
 */
public record DeviceConfig(String endpoint, URI hubUri, String pskIdentity, byte[] pskKey, boolean allowInsecure,
        double latitude, double longitude, String place, Path outboxDir, Pins pins, Timing timing, Health health,
        List<PublicKey> firmwareTrustedKeys, List<X509Certificate> firmwareDownloadCas) {

    public DeviceConfig {
        pskKey = pskKey == null ? null : pskKey.clone();
        health = health == null ? Health.NONE : health;
        firmwareTrustedKeys = firmwareTrustedKeys == null ? List.of() : List.copyOf(firmwareTrustedKeys);
        firmwareDownloadCas = firmwareDownloadCas == null ? List.of() : List.copyOf(firmwareDownloadCas);
    }

    /** A configuration that trusts no firmware signing key. */
    public DeviceConfig(String endpoint, URI hubUri, String pskIdentity, byte[] pskKey, boolean allowInsecure,
            double latitude, double longitude, String place, Path outboxDir, Pins pins, Timing timing, Health health) {
        this(endpoint, hubUri, pskIdentity, pskKey, allowInsecure, latitude, longitude, place, outboxDir, pins, timing,
                health, List.of(), List.of());
    }

    @Override
    public byte[] pskKey() {
        return pskKey == null ? null : pskKey.clone();
    }

    /** Whether the hub is reached over DTLS with the pre-shared key. */
    public boolean secure() {
        return "coaps".equalsIgnoreCase(hubUri.getScheme());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeviceConfig that && endpoint.equals(that.endpoint) && hubUri.equals(that.hubUri)
                && java.util.Objects.equals(pskIdentity, that.pskIdentity) && Arrays.equals(pskKey, that.pskKey)
                && allowInsecure == that.allowInsecure && latitude == that.latitude && longitude == that.longitude
                && place.equals(that.place) && outboxDir.equals(that.outboxDir) && pins.equals(that.pins)
                && timing.equals(that.timing) && health.equals(that.health)
                && firmwareTrustedKeys.equals(that.firmwareTrustedKeys)
                && firmwareDownloadCas.equals(that.firmwareDownloadCas);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(endpoint, hubUri, outboxDir);
    }

    @Override
    public String toString() {
        // never log the key
        return "DeviceConfig[endpoint=" + endpoint + ", hubUri=" + hubUri + ", pskIdentity=" + pskIdentity
                + ", place=" + place + ", outboxDir=" + outboxDir + "]";
    }

    /**
     * The optional power and radio parts the box reports to the hub (Device 3/0/9, Connectivity Monitoring 4/0/2).
     *
     * @param batteryFile file holding the battery or UPS charge in percent (e.g.
     *        {@code /sys/class/power_supply/<name>/capacity}), absolute; null when not used
     * @param batteryMillivoltsFile file holding the 12.8 V LiFePO4 battery's voltage in millivolts (the INA219's
     *        {@code /sys/class/hwmon/hwmon<N>/in1_input}), absolute; null when not used. At most one of the two is set;
     *        neither when the box has no battery gauge
     * @param modemSignalCommand shell command printing the cellular modem's signal strength in dBm; null when the box
     *        has no modem
     */
    public record Health(Path batteryFile, Path batteryMillivoltsFile, String modemSignalCommand) {

        public static final Health NONE = new Health(null, null, null);
    }

    /**
     * Timing of the box.
     *
     * @param debounce a second press edge within this window of the last accepted press is ignored
     * @param sirenMaxOn the longest the siren sounds without a break, whatever commands say
     * @param alarmSiren how long the box's own siren sounds on a press (capped by {@code sirenMaxOn})
     * @param lifetime LwM2M registration lifetime
     * @param heartbeat how often the box sends a registration UPDATE (shorter than {@code lifetime}): the hub shows a
     *        box offline after 45 s without one
     * @param slotDebounce a locker slot switch must hold a new state this long before the count changes (a flapping
     *        microswitch does not spam the hub)
     * @param firmwareConfirmAfter how long a firmware installed over the air must stay registered and heartbeating
     *        before it is confirmed; a crash, restart or lost hub before that rolls it back (the wrapper reads the
     *        same key for its deadline)
     */
    public record Timing(Duration debounce, Duration sirenMaxOn, Duration alarmSiren, Duration lifetime,
            Duration heartbeat, Duration slotDebounce, Duration firmwareConfirmAfter) {

        public static final Timing DEFAULT = new Timing(Duration.ofMillis(50), Duration.ofSeconds(300),
                Duration.ofSeconds(180), Duration.ofSeconds(300), Duration.ofSeconds(20), Duration.ofMillis(200));

        /** Timing with the default healthy window of a new firmware (10 minutes). */
        public Timing(Duration debounce, Duration sirenMaxOn, Duration alarmSiren, Duration lifetime,
                Duration heartbeat, Duration slotDebounce) {
            this(debounce, sirenMaxOn, alarmSiren, lifetime, heartbeat, slotDebounce, Duration.ofMinutes(10));
        }
    }
}
