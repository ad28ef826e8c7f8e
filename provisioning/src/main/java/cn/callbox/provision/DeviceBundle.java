package cn.callbox.provision;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.callbox.protocol.config.DeviceConfigKeys;

/**
 * A box's device bundle: the edge's configuration file ({@code callbox-edge.jar --config}, Java properties in UTF-8,
 * keys of {@link DeviceConfigKeys}) with the box's key, place and pin map, and a comment header saying what it is.
 * Non-ASCII text (place names) is written as UTF-8, which the edge reads.
 *
 * @param hubUri the hub's LwM2M DTLS address, {@code coaps://host:port}
 * @param pskKeyHex the pre-shared key in hex
 * @param village the village as the hub named it
 * @param point the point as the hub named it; the box says it as its place
 * @param outboxDir the alarm outbox folder on the box
 * @param firmwareTrustedKeys the Ed25519 public keys (base64) a firmware package must be signed with, as the hub
 *        trusts them; empty: the key is left out (the box then installs no firmware over the air)
 * @param hubCertificates certificates (base64 DER) the box trusts for HTTPS downloads from the hub besides the system's
 *        CAs ({@code --hub-ca}); empty: the key is left out
 */
record DeviceBundle(String endpoint, String hubUri, String pskIdentity, String pskKeyHex, double lat, double lon,
        String village, String point, String outboxDir, List<String> firmwareTrustedKeys,
        List<String> hubCertificates) {

    DeviceBundle {
        firmwareTrustedKeys = List.copyOf(firmwareTrustedKeys);
        hubCertificates = List.copyOf(hubCertificates);
    }

    /** Where the Debian package keeps the outbox ({@code /var/lib/callbox}). */
    static final String DEFAULT_OUTBOX_DIR = "/var/lib/callbox/outbox";

    /** The default slot layout of the locker (hardware-docs/pinout.md). */
    static final String DEFAULT_SLOTS =
            "whistle:3,baton:3,helmet:3,flashlight:1,loudspeaker:1,steel-fork:1,shield:2";

    /** The default pin map (BCM GPIO), as {@code Pins.DEFAULT} of the edge and hardware-docs/pinout.md give it. */
    static final Map<String, Integer> DEFAULT_PINS = defaultPins();

    /** The file's bytes; {@code date} goes into the header. */
    byte[] render(LocalDate date) {
        List<String> lines = new ArrayList<>();
        lines.add("# Call box " + endpoint + ": " + comment(village) + ", " + comment(point));
        lines.add("# Written by callbox-provision on " + date
                + ". It holds the box's DTLS key: keep it readable by its owner only.");
        lines.add("# On the box: /etc/callbox/callbox.properties (owner callbox, mode 600), or callbox-edge.jar"
                + " --config FILE.");
        lines.add("");
        lines.add(entry(DeviceConfigKeys.ENDPOINT, endpoint));
        lines.add(entry(DeviceConfigKeys.HUB_URI, hubUri));
        lines.add(entry(DeviceConfigKeys.PSK_IDENTITY, pskIdentity));
        lines.add(entry(DeviceConfigKeys.PSK_KEY, pskKeyHex));
        lines.add(entry(DeviceConfigKeys.LATITUDE, Double.toString(lat)));
        lines.add(entry(DeviceConfigKeys.LONGITUDE, Double.toString(lon)));
        lines.add(entry(DeviceConfigKeys.PLACE, point));
        lines.add(entry(DeviceConfigKeys.OUTBOX_DIR, outboxDir));
        if (!firmwareTrustedKeys.isEmpty()) {
            lines.add("# Firmware over the air: only packages signed with one of these keys are installed.");
            lines.add(entry(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS, String.join(",", firmwareTrustedKeys)));
        }
        if (!hubCertificates.isEmpty()) {
            lines.add("# The hub's HTTPS certificate (or the township's CA), trusted for firmware downloads.");
            lines.add(entry(DeviceConfigKeys.FIRMWARE_DOWNLOAD_CA, String.join(",", hubCertificates)));
        }
        lines.add("");
        lines.add("# Pin map (BCM GPIO numbers) as hardware-docs/pinout.md wires the box; change a key where this box"
                + " is");
        lines.add("# wired otherwise. Slot switches: pin.slot.<kind>.<n>, one per slot of locker.slots.");
        lines.add(entry("locker.slots", DEFAULT_SLOTS));
        DEFAULT_PINS.forEach((key, pin) -> lines.add(entry(key, Integer.toString(pin))));
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code key=value} with the value escaped for {@link java.util.Properties#load(java.io.Reader)}. */
    static String entry(String key, String value) {
        StringBuilder out = new StringBuilder(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case ' ' -> out.append(i == 0 ? "\\ " : " ");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Text for a comment line: one line. */
    private static String comment(String text) {
        return text.replaceAll("[\\r\\n\\f]+", " ");
    }

    private static Map<String, Integer> defaultPins() {
        Map<String, Integer> pins = new LinkedHashMap<>();
        pins.put(DeviceConfigKeys.PIN_PREFIX + "panic-button", 17);
        pins.put(DeviceConfigKeys.PIN_PREFIX + "button-lamp", 27);
        pins.put(DeviceConfigKeys.PIN_PREFIX + "siren-relay", 22);
        pins.put(DeviceConfigKeys.PIN_PREFIX + "locker-door", 23);
        pins.put(DeviceConfigKeys.PIN_PREFIX + "tamper", 24);
        String[] slots = {"whistle.1", "whistle.2", "whistle.3", "baton.1", "baton.2", "baton.3", "helmet.1",
            "helmet.2", "helmet.3", "flashlight.1", "loudspeaker.1", "steel-fork.1", "shield.1", "shield.2"};
        int[] free = {5, 6, 12, 13, 16, 19, 20, 21, 26, 4, 25, 18, 7, 8};
        for (int i = 0; i < slots.length; i++) {
            pins.put(DeviceConfigKeys.PIN_PREFIX + "slot." + slots[i], free[i]);
        }
        // the power supply's AC-OK output (mains present); pin.ac-ok=none on a box wired without it
        pins.put(DeviceConfigKeys.PIN_PREFIX + "ac-ok", 11);
        return java.util.Collections.unmodifiableMap(pins);
    }
}
